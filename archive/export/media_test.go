package export

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"
)

// mediaServer is an httptest server on loopback that counts the requests
// for each path and serves what its handler says (by default the path's
// bytes repeated, as image/jpeg).
type mediaServer struct {
	*httptest.Server
	mu     sync.Mutex
	hits   map[string]int
	times  map[string][]time.Time
	handle func(w http.ResponseWriter, r *http.Request, n int) // n: 1 for the first request of the path
}

func newMediaServer(t *testing.T, handle func(w http.ResponseWriter, r *http.Request, n int)) *mediaServer {
	t.Helper()
	s := &mediaServer{hits: map[string]int{}, times: map[string][]time.Time{}, handle: handle}
	if s.handle == nil {
		s.handle = serveBody
	}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.RequestURI()]++
		n := s.hits[r.URL.RequestURI()]
		s.times[r.URL.RequestURI()] = append(s.times[r.URL.RequestURI()], time.Now())
		s.mu.Unlock()
		s.handle(w, r, n)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *mediaServer) count(uri string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[uri]
}

func (s *mediaServer) total() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, v := range s.hits {
		n += v
	}
	return n
}

// bodyFor is the content the default handler serves for a request URI.
func bodyFor(uri string) []byte {
	return bytes.Repeat([]byte("<"+uri+">"), 10)
}

func serveBody(w http.ResponseWriter, r *http.Request, _ int) {
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("ETag", `"`+strconv.Itoa(len(r.URL.Path))+`"`)
	w.Write(bodyFor(r.URL.RequestURI()))
}

func newTestFetcher(t *testing.T, opt MediaOptions) *Fetcher {
	t.Helper()
	if opt.CacheDir == "" {
		opt.CacheDir = t.TempDir()
	}
	if opt.Backoff == 0 {
		opt.Backoff = time.Millisecond
	}
	f, err := NewFetcher(opt)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func fetchOne(t *testing.T, f *Fetcher, u string) MediaResult {
	t.Helper()
	res := f.Fetch(context.Background(), []string{u})
	r, ok := res[u]
	if !ok || len(res) != 1 {
		t.Fatalf("Fetch(%q) returned %v", u, res)
	}
	return r
}

func TestFetchSuccess(t *testing.T) {
	s := newMediaServer(t, nil)
	f := newTestFetcher(t, MediaOptions{})
	u := s.URL + "/wp-content/uploads/2010/08/photo.jpg"
	r := fetchOne(t, f, u)
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	got, err := os.ReadFile(r.Path)
	if err != nil {
		t.Fatal(err)
	}
	want := bodyFor("/wp-content/uploads/2010/08/photo.jpg")
	if !bytes.Equal(got, want) || r.Size != int64(len(want)) {
		t.Errorf("file holds %q (size %d), want %q", got, r.Size, want)
	}
	if r.Name != "photo.jpg" || r.Cached || r.ContentType != "image/jpeg" {
		t.Errorf("result %+v, want name photo.jpg, not cached, image/jpeg", r)
	}
	if !strings.HasPrefix(r.Path, f.opt.CacheDir+string(filepath.Separator)) {
		t.Errorf("path %s outside the cache %s", r.Path, f.opt.CacheDir)
	}
	// The sidecar says what the file is.
	var m mediaMeta
	b, err := os.ReadFile(r.Path + ".json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(want)
	if m.URL != u || m.ETag == "" || m.ContentType != "image/jpeg" || m.Size != int64(len(want)) || m.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("sidecar %+v", m)
	}
	// Asking again in the same run makes no request.
	if r2 := fetchOne(t, f, u); r2.Err != nil || r2.Path != r.Path || r2.Name != r.Name {
		t.Errorf("second Fetch %+v", r2)
	}
	if n := s.count("/wp-content/uploads/2010/08/photo.jpg"); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestFetch404NoRetry(t *testing.T) {
	s := newMediaServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		http.NotFound(w, r)
	})
	f := newTestFetcher(t, MediaOptions{Retries: 3})
	r := fetchOne(t, f, s.URL+"/missing.jpg")
	var se *StatusError
	if !errors.As(r.Err, &se) || se.Code != 404 {
		t.Fatalf("err %v, want a 404 StatusError", r.Err)
	}
	if r.Path != "" || r.Name != "missing.jpg" {
		t.Errorf("result %+v, want no path and a name", r)
	}
	if n := s.count("/missing.jpg"); n != 1 {
		t.Errorf("%d requests for a 404, want 1 (no retry)", n)
	}
	// A failure is remembered for the run: not asked again.
	fetchOne(t, f, s.URL+"/missing.jpg")
	if n := s.count("/missing.jpg"); n != 1 {
		t.Errorf("%d requests after asking twice, want 1", n)
	}
}

func TestFetchRetries5xx(t *testing.T) {
	s := newMediaServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch {
		case strings.HasPrefix(r.URL.Path, "/flaky") && n == 1:
			http.Error(w, "busy", http.StatusInternalServerError)
		case strings.HasPrefix(r.URL.Path, "/down"):
			http.Error(w, "down", http.StatusBadGateway)
		default:
			serveBody(w, r, n)
		}
	})
	f := newTestFetcher(t, MediaOptions{Retries: 2})
	res := f.Fetch(context.Background(), []string{s.URL + "/flaky.jpg", s.URL + "/down.jpg"})
	if r := res[s.URL+"/flaky.jpg"]; r.Err != nil || r.Path == "" {
		t.Errorf("500 then 200: %+v", r)
	}
	if n := s.count("/flaky.jpg"); n != 2 {
		t.Errorf("500 then 200: %d requests, want 2", n)
	}
	var se *StatusError
	if r := res[s.URL+"/down.jpg"]; !errors.As(r.Err, &se) || se.Code != 502 {
		t.Errorf("always 502: %v", r.Err)
	}
	if n := s.count("/down.jpg"); n != 3 {
		t.Errorf("always 502 with 2 retries: %d requests, want 3", n)
	}
}

func TestFetchRetryAfter(t *testing.T) {
	s := newMediaServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			if r.URL.Path == "/long.jpg" {
				w.Header().Set("Retry-After", "3600")
			} else {
				w.Header().Set("Retry-After", "1")
			}
			http.Error(w, "slow down", http.StatusTooManyRequests)
			return
		}
		serveBody(w, r, n)
	})
	f := newTestFetcher(t, MediaOptions{Retries: 1, MaxWait: 1500 * time.Millisecond})
	res := f.Fetch(context.Background(), []string{s.URL + "/polite.jpg", s.URL + "/long.jpg"})
	for _, p := range []string{"/polite.jpg", "/long.jpg"} {
		if r := res[s.URL+p]; r.Err != nil {
			t.Errorf("%s: %v", p, r.Err)
		}
		if n := s.count(p); n != 2 {
			t.Errorf("%s: %d requests, want 2", p, n)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	// Measured on the server: the retry came after the second it asked for,
	// and the hour it asked for elsewhere was cut to MaxWait.
	if ts := s.times["/polite.jpg"]; len(ts) == 2 && ts[1].Sub(ts[0]) < 950*time.Millisecond {
		t.Errorf("Retry-After: 1 retried after %v", ts[1].Sub(ts[0]))
	}
	if ts := s.times["/long.jpg"]; len(ts) == 2 && (ts[1].Sub(ts[0]) < 1400*time.Millisecond || ts[1].Sub(ts[0]) > time.Minute) {
		t.Errorf("Retry-After: 3600 with MaxWait 1.5s retried after %v", ts[1].Sub(ts[0]))
	}
}

func TestMediaRetryAfterHeader(t *testing.T) {
	for _, c := range []struct {
		in   string
		want time.Duration
	}{
		{"", 0}, {"0", 0}, {"-5", 0}, {"7", 7 * time.Second}, {"soon", 0},
		{time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat), 0},
	} {
		if got := mediaRetryAfter(c.in); got != c.want {
			t.Errorf("mediaRetryAfter(%q) = %v, want %v", c.in, got, c.want)
		}
	}
	if got := mediaRetryAfter(time.Now().Add(time.Minute).UTC().Format(http.TimeFormat)); got < 55*time.Second || got > time.Minute {
		t.Errorf("a date a minute ahead gives %v", got)
	}
}

func TestFetchTimeout(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	s := newMediaServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if r.URL.Path == "/stall-body.jpg" {
			w.Header().Set("Content-Length", "1000")
			w.Write(make([]byte, 10))
			w.(http.Flusher).Flush()
		}
		select { // never answers in time
		case <-r.Context().Done():
		case <-release:
		}
	})
	f := newTestFetcher(t, MediaOptions{FileTimeout: 150 * time.Millisecond, Retries: 1})
	res := f.Fetch(context.Background(), []string{s.URL + "/slow.jpg", s.URL + "/stall-body.jpg"})
	for _, p := range []string{"/slow.jpg", "/stall-body.jpg"} {
		r := res[s.URL+p]
		if !errors.Is(r.Err, context.DeadlineExceeded) || r.Path != "" {
			t.Errorf("%s: %+v, want a deadline error", p, r)
		}
		if n := s.count(p); n != 2 {
			t.Errorf("%s: %d requests, want 2 (a timeout is retried)", p, n)
		}
	}
	assertNoPartial(t, f.opt.CacheDir)
}

// assertNoPartial fails if the cache holds a temporary file or a data
// file without its sidecar.
func assertNoPartial(t *testing.T, dir string) {
	t.Helper()
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		name := d.Name()
		if strings.HasPrefix(name, "tmp-") {
			t.Errorf("temporary file left: %s", p)
		}
		if !strings.HasSuffix(name, ".json") {
			if _, err := os.Stat(p + ".json"); err != nil {
				t.Errorf("data file without sidecar: %s", p)
			}
		}
		return nil
	})
}

func TestFetchOversize(t *testing.T) {
	s := newMediaServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		body := bytes.Repeat([]byte("x"), 5000)
		switch r.URL.Path {
		case "/declared.jpg": // Content-Length says so
			w.Header().Set("Content-Length", "5000")
			w.Write(body)
		case "/chunked.jpg": // no length: the body runs over
			for i := 0; i < 5; i++ {
				w.Write(body[:1000])
				w.(http.Flusher).Flush()
			}
		case "/exact.jpg":
			w.Write(body[:1000])
		}
	})
	f := newTestFetcher(t, MediaOptions{MaxBytes: 1000, Retries: 2})
	res := f.Fetch(context.Background(), []string{s.URL + "/declared.jpg", s.URL + "/chunked.jpg", s.URL + "/exact.jpg"})
	for _, p := range []string{"/declared.jpg", "/chunked.jpg"} {
		if r := res[s.URL+p]; !errors.Is(r.Err, ErrTooLarge) || r.Path != "" {
			t.Errorf("%s: %+v, want ErrTooLarge", p, r)
		}
		if n := s.count(p); n != 1 {
			t.Errorf("%s: %d requests, want 1", p, n)
		}
	}
	if r := res[s.URL+"/exact.jpg"]; r.Err != nil || r.Size != 1000 {
		t.Errorf("a file of exactly MaxBytes: %+v", r)
	}
	assertNoPartial(t, f.opt.CacheDir)
}

func TestFetchRedirects(t *testing.T) {
	var s *mediaServer
	s = newMediaServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch {
		case r.URL.Path == "/to-file.jpg":
			http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
		case r.URL.Path == "/to-ftp.jpg":
			http.Redirect(w, r, "ftp://"+r.Host+"/x.jpg", http.StatusMovedPermanently)
		case r.URL.Path == "/loop.jpg":
			http.Redirect(w, r, "/loop.jpg", http.StatusFound)
		case strings.HasPrefix(r.URL.Path, "/hop"):
			k, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/hop"), ".jpg"))
			if k > 0 {
				http.Redirect(w, r, fmt.Sprintf("/hop%d.jpg", k-1), http.StatusFound)
				return
			}
			serveBody(w, r, n)
		default:
			http.NotFound(w, r)
		}
	})
	f := newTestFetcher(t, MediaOptions{Retries: 2})
	res := f.Fetch(context.Background(), []string{s.URL + "/to-file.jpg", s.URL + "/to-ftp.jpg", s.URL + "/loop.jpg", s.URL + "/hop5.jpg", s.URL + "/hop6.jpg"})
	for _, p := range []string{"/to-file.jpg", "/to-ftp.jpg", "/loop.jpg", "/hop6.jpg"} {
		if r := res[s.URL+p]; !errors.Is(r.Err, ErrRedirect) || r.Path != "" {
			t.Errorf("%s: %+v, want ErrRedirect", p, r)
		}
	}
	if n := s.count("/to-file.jpg"); n != 1 {
		t.Errorf("redirect to file: requested %d times, want 1", n)
	}
	if n := s.count("/x.jpg"); n != 0 {
		t.Errorf("the ftp redirect target was requested %d times", n)
	}
	// The first request and 5 redirects, then the 6th is refused; no retry.
	if n := s.count("/loop.jpg"); n != 6 {
		t.Errorf("redirect loop: %d requests, want 6", n)
	}
	if r := res[s.URL+"/hop5.jpg"]; r.Err != nil || r.Name != "hop5.jpg" {
		t.Errorf("5 redirects: %+v, want success named after the URL asked for", r)
	}
}

func TestFetchCacheAcrossRuns(t *testing.T) {
	s := newMediaServer(t, nil)
	dir := t.TempDir()
	urls := []string{s.URL + "/a.jpg", s.URL + "/b/photo.png", s.URL + "/c.pdf?v=2"}
	first := newTestFetcher(t, MediaOptions{CacheDir: dir}).Fetch(context.Background(), urls)
	before := s.total()
	if before != 3 {
		t.Fatalf("first run: %d requests, want 3", before)
	}
	second := newTestFetcher(t, MediaOptions{CacheDir: dir}).Fetch(context.Background(), urls)
	if n := s.total() - before; n != 0 {
		t.Errorf("second run made %d requests, want 0", n)
	}
	for _, u := range urls {
		a, b := first[u], second[u]
		if a.Err != nil || b.Err != nil || a.Cached || !b.Cached {
			t.Errorf("%s: first %+v, second %+v", u, a, b)
			continue
		}
		if a.Path != b.Path || a.Name != b.Name || a.ContentType != b.ContentType || a.Size != b.Size {
			t.Errorf("%s: cached result %+v differs from the download %+v", u, b, a)
		}
	}
}

// TestFetchCacheDamaged: an entry whose sidecar is missing, names another
// URL or another size, is a miss; the file is downloaded again and the
// entry repaired.
func TestFetchCacheDamaged(t *testing.T) {
	s := newMediaServer(t, nil)
	dir := t.TempDir()
	u := s.URL + "/d.jpg"
	f := newTestFetcher(t, MediaOptions{CacheDir: dir})
	r := fetchOne(t, f, u)
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	damage := []func(){
		func() { os.Remove(r.Path + ".json") },
		func() { os.WriteFile(r.Path, []byte("half"), 0o644) },
		func() {
			b, _ := os.ReadFile(r.Path + ".json")
			os.WriteFile(r.Path+".json", bytes.Replace(b, []byte("/d.jpg"), []byte("/e.jpg"), 1), 0o644)
		},
		func() { os.WriteFile(r.Path+".json", []byte("{"), 0o644) },
	}
	for k, d := range damage {
		d()
		before := s.count("/d.jpg")
		r2 := fetchOne(t, newTestFetcher(t, MediaOptions{CacheDir: dir}), u)
		got, _ := os.ReadFile(r2.Path)
		if r2.Err != nil || r2.Cached || !bytes.Equal(got, bodyFor("/d.jpg")) || s.count("/d.jpg") != before+1 {
			t.Errorf("damage %d: %+v, %d requests", k, r2, s.count("/d.jpg")-before)
		}
	}
	assertNoPartial(t, dir)
}

// TestFetchInterrupted: a connection cut in the middle of the body leaves
// no entry that looks complete.
func TestFetchInterrupted(t *testing.T) {
	s := newMediaServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Content-Length", "1000")
		w.Write(bytes.Repeat([]byte("y"), 400))
		w.(http.Flusher).Flush()
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.Close()
		}
	})
	dir := t.TempDir()
	f := newTestFetcher(t, MediaOptions{CacheDir: dir, Retries: 1})
	r := fetchOne(t, f, s.URL+"/cut.jpg")
	if r.Err == nil || r.Path != "" {
		t.Fatalf("cut body: %+v, want an error", r)
	}
	if n := s.count("/cut.jpg"); n != 2 {
		t.Errorf("cut body: %d requests, want 2 (retried)", n)
	}
	assertNoPartial(t, dir)
	if _, ok := f.lookup(s.URL + "/cut.jpg"); ok {
		t.Error("a cut download is in the cache")
	}
}

// TestFetchConcurrentFetchers: Fetchers in parallel on one cache directory
// (as two exports at once would) all get complete files, and the cache is
// whole afterwards.
func TestFetchConcurrentFetchers(t *testing.T) {
	s := newMediaServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		time.Sleep(time.Millisecond)
		serveBody(w, r, n)
	})
	dir := t.TempDir()
	var urls []string
	for i := range 40 {
		urls = append(urls, fmt.Sprintf("%s/c/%d.jpg", s.URL, i))
	}
	var wg sync.WaitGroup
	results := make([]map[string]MediaResult, 4)
	for k := range results {
		f := newTestFetcher(t, MediaOptions{CacheDir: dir, Workers: 3})
		wg.Go(func() { results[k] = f.Fetch(context.Background(), urls) })
	}
	wg.Wait()
	check := func(label string, res map[string]MediaResult) {
		for _, u := range urls {
			r := res[u]
			got, err := os.ReadFile(r.Path)
			want := bodyFor(strings.TrimPrefix(u, s.URL))
			if r.Err != nil || err != nil || !bytes.Equal(got, want) {
				t.Errorf("%s %s: %+v %v", label, u, r, err)
			}
		}
	}
	for k, res := range results {
		check(fmt.Sprint("fetcher ", k), res)
	}
	before := s.total()
	after := newTestFetcher(t, MediaOptions{CacheDir: dir}).Fetch(context.Background(), urls)
	check("afterwards", after)
	if n := s.total() - before; n != 0 {
		t.Errorf("afterwards: %d requests, want 0", n)
	}
	assertNoPartial(t, dir)
}

func TestFetchBoundedParallel(t *testing.T) {
	var inFlight, peak atomic.Int64
	s := newMediaServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		cur := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			p := peak.Load()
			if cur <= p || peak.CompareAndSwap(p, cur) {
				break
			}
		}
		time.Sleep(3 * time.Millisecond)
		serveBody(w, r, n)
	})
	var urls []string
	for i := range 200 {
		u := fmt.Sprintf("%s/p/%03d.jpg", s.URL, i)
		urls = append(urls, u, u) // each twice: still one request
	}
	f := newTestFetcher(t, MediaOptions{Workers: 4})
	res := f.Fetch(context.Background(), urls)
	if len(res) != 200 {
		t.Fatalf("%d results, want 200", len(res))
	}
	for _, u := range urls {
		if res[u].Err != nil {
			t.Errorf("%s: %v", u, res[u].Err)
		}
	}
	if n := s.total(); n != 200 {
		t.Errorf("%d requests, want 200", n)
	}
	// Measured on the server side.
	if p := peak.Load(); p > 4 || p < 2 {
		t.Errorf("at most %d requests in flight, want 2 to 4 with Workers=4", p)
	}
	t.Logf("peak in flight: %d", peak.Load())
}

func TestFetchNeverRequestsNonHTTP(t *testing.T) {
	s := newMediaServer(t, nil)
	host := strings.TrimPrefix(s.URL, "http://")
	bad := []string{
		"file:///etc/passwd",
		"file://" + host + "/x.jpg",
		"ftp://" + host + "/x.jpg",
		"data:image/png;base64,iVBORw0KGgo=",
		"/wp-content/uploads/relative.jpg",
		"relative.jpg",
		"javascript:alert(1)//x.jpg",
		"http:///nohost.jpg",
		"mailto:a@example.com",
		"",
		host + "/noscheme.jpg",
	}
	f := newTestFetcher(t, MediaOptions{})
	res := f.Fetch(context.Background(), bad)
	for _, u := range bad {
		if r := res[u]; !errors.Is(r.Err, ErrNotHTTP) || r.Path != "" {
			t.Errorf("%q: %+v, want ErrNotHTTP", u, r)
		}
	}
	if n := s.total(); n != 0 {
		t.Errorf("%d requests for non-http URLs, want 0", n)
	}
	// Upper-case schemes are http all the same.
	if r := fetchOne(t, f, "HTTP://"+host+"/Upper.JPG"); r.Err != nil || r.Name != "Upper.jpg" {
		t.Errorf("HTTP:// URL: %+v", r)
	}
}

func TestFetchProtocolRelative(t *testing.T) {
	// //host/x is fetched as https: the TLS test server answers it, the
	// plain one would not.
	s := httptest.NewTLSServer(http.HandlerFunc(serveBodyTLS))
	defer s.Close()
	f := newTestFetcher(t, MediaOptions{Client: s.Client()})
	u := "//" + strings.TrimPrefix(s.URL, "https://") + "/proto.png"
	r := fetchOne(t, f, u)
	if r.Err != nil || r.Name != "proto.png" {
		t.Fatalf("%+v", r)
	}
	// The https form of the same URL is the same download.
	r2 := fetchOne(t, f, "https:"+u)
	if r2.Path != r.Path || r2.Name != r.Name {
		t.Errorf("https form: %+v, protocol-relative: %+v", r2, r)
	}
}

func serveBodyTLS(w http.ResponseWriter, r *http.Request) { serveBody(w, r, 1) }

func TestFetchCancel(t *testing.T) {
	s := newMediaServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	f := newTestFetcher(t, MediaOptions{Workers: 2})
	var urls []string
	for i := range 10 {
		urls = append(urls, fmt.Sprintf("%s/%d.jpg", s.URL, i))
	}
	start := time.Now()
	res := f.Fetch(ctx, urls)
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Fetch took %v after its context was cancelled", d)
	}
	for _, u := range urls {
		if !errors.Is(res[u].Err, context.Canceled) {
			t.Errorf("%s: %v, want context.Canceled", u, res[u].Err)
		}
	}
	if n := s.total(); n > 2 {
		t.Errorf("%d requests started, want at most the 2 workers", n)
	}
}

// validMediaName reports what is wrong with a file name for Linux, macOS
// and Windows, and for Jekyll, which leaves out names starting with "." or
// "_" or ending with "~".
func validMediaName(n string) string {
	switch {
	case n == "":
		return "empty"
	case len(n) > 100:
		return "longer than 100 bytes"
	case !utf8.ValidString(n):
		return "not UTF-8"
	case strings.ContainsAny(n, `<>:"/\|?*#%`):
		return "reserved character"
	case strings.HasSuffix(n, ".") || strings.HasSuffix(n, " ") || strings.HasSuffix(n, "~"):
		return "trailing dot, space or ~"
	case strings.HasPrefix(n, ".") || strings.HasPrefix(n, "_") || strings.HasPrefix(n, "-"):
		return "leading dot, underscore or dash"
	case mediaReserved(n):
		return "reserved by Windows"
	}
	for _, r := range n {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == ' ' {
			return "control character or space"
		}
	}
	return ""
}

func TestMediaNames(t *testing.T) {
	s := newMediaServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if strings.Contains(r.URL.Path, "chart") || strings.Contains(r.URL.Path, ".php") {
			w.Header().Set("Content-Type", "image/png; charset=binary")
		}
		w.Write([]byte("x"))
	})
	long := strings.Repeat("a", 300)
	longCJK := strings.Repeat("照片", 60)
	cases := []struct {
		path string
		want string // "" : only checked to be valid; "~re" : matched as a pattern below
	}{
		{"/wp-content/uploads/2010/08/photo.jpg", "photo.jpg"},
		{"/wp-content/uploads/2010/08/photo-300x200.jpg", "photo-300x200.jpg"},
		{"/wp-content/uploads/2010/08/photo-1024x683.jpg", "photo-1024x683.jpg"},
		{"/%E4%B8%8A%E6%B5%B7/%E7%85%A7%E7%89%87.jpg", "照片.jpg"},
		{"/con.jpg", "con_.jpg"},
		{"/LPT1.png", "LPT1_.png"},
		{"/aux.tar.gz", "aux_.tar.gz"},
		{"/a%3Cb%3Ec%3Ad%22e%7Cf%3Fg%2Ah%5Ci.jpg", "a-b-c-d-e-f-g-h-i.jpg"},
		{"/ctl%01%0A%E2%80%AEname.gif", "ctl-name.gif"},
		{"/_private.jpg", "private.jpg"},
		{"/.hidden.png", "hidden.png"},
		{"/trailing...%20.pdf", "trailing.pdf"},
		{"/caf%E9.jpg", "café.jpg"},
		{"/Photo%20Album%20%231.JPG", "Photo-Album-1.jpg"},
		{"/" + long + ".jpg", "~long"},
		{"/" + longCJK + ".mp3", "~longcjk"},
		{"/chart?cht=p3&chd=t:60,40", "~chart"},
		{"/image.php?id=3", "~php"},
		{"/dir/", "~dir"},
		{"/x.jpg?w=300", "~query"},
	}
	var urls []string
	for _, c := range cases {
		urls = append(urls, s.URL+c.path)
	}
	f := newTestFetcher(t, MediaOptions{})
	res := f.Fetch(context.Background(), urls)
	seen := map[string]string{}
	for _, c := range cases {
		r := res[s.URL+c.path]
		if r.Err != nil {
			t.Errorf("%s: %v", c.path, r.Err)
		}
		n := r.Name
		if bad := validMediaName(n); bad != "" {
			t.Errorf("%s: name %q: %s", c.path, n, bad)
		}
		if prev, ok := seen[mediaFold(n)]; ok {
			t.Errorf("%s and %s share the name %q", prev, c.path, n)
		}
		seen[mediaFold(n)] = c.path
		hashed := func(prefix, ext string) bool {
			rest, ok := strings.CutPrefix(n, prefix)
			if !ok || !strings.HasSuffix(rest, ext) {
				return false
			}
			h := strings.TrimSuffix(rest, ext)
			_, err := hex.DecodeString(strings.TrimPrefix(h, "-"))
			return strings.HasPrefix(h, "-") && len(h) == 9 && err == nil
		}
		ok := n == c.want
		switch c.want {
		case "~long":
			ok = len(n) == 100 && hashed(strings.Repeat("a", 100-13), ".jpg")
		case "~longcjk":
			ok = len(n) <= 100 && strings.HasPrefix(n, "照片照片") && strings.HasSuffix(n, ".mp3")
		case "~chart":
			ok = hashed("chart", ".png")
		case "~php":
			ok = hashed("image-php", ".png") // the type's extension, never .php
		case "~dir":
			ok = hashed("dir", "")
		case "~query":
			ok = hashed("x", ".jpg")
		}
		if !ok {
			t.Errorf("%s: name %q, want %s", c.path, n, c.want)
		}
	}
}

// TestMediaNamesClash: URLs whose names would be the same file (same base
// name, or differing by case or Unicode normalisation) get distinct names
// that depend on the URLs only, not on their order; one URL has one name.
func TestMediaNamesClash(t *testing.T) {
	s := newMediaServer(t, nil)
	paths := []string{
		"/2010/08/photo.jpg", "/2011/09/photo.jpg", "/2012/01/Photo.JPG",
		"/caf%C3%A9.jpg", "/cafe%CC%81.jpg", // é precomposed and decomposed
		"/unique.png",
	}
	names := func(order []string) map[string]string {
		var urls []string
		for _, p := range order {
			urls = append(urls, s.URL+p)
		}
		res := newTestFetcher(t, MediaOptions{}).Fetch(context.Background(), urls)
		out := map[string]string{}
		for _, p := range order {
			out[p] = res[s.URL+p].Name
		}
		return out
	}
	a := names(paths)
	rev := append([]string(nil), paths...)
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	b := names(rev)
	seen := map[string]bool{}
	for _, p := range paths {
		if a[p] != b[p] {
			t.Errorf("%s: named %q in one order and %q in the other", p, a[p], b[p])
		}
		k := mediaFold(a[p])
		if seen[k] {
			t.Errorf("%s: name %q taken twice", p, a[p])
		}
		seen[k] = true
	}
	if a["/unique.png"] != "unique.png" {
		t.Errorf("a name without a clash got %q", a["/unique.png"])
	}
	for _, p := range paths[:3] {
		if !strings.HasPrefix(strings.ToLower(a[p]), "photo-") || !strings.HasSuffix(a[p], ".jpg") {
			t.Errorf("%s: %q, want photo-<hash>.jpg", p, a[p])
		}
	}
	// Across calls on one Fetcher: a URL keeps its name, a new URL with a
	// taken name gets a suffix.
	f := newTestFetcher(t, MediaOptions{})
	first := fetchOne(t, f, s.URL+"/2010/08/photo.jpg").Name
	second := fetchOne(t, f, s.URL+"/2011/09/photo.jpg").Name
	again := fetchOne(t, f, s.URL+"/2010/08/photo.jpg").Name
	if first != "photo.jpg" || again != first || second == first || !strings.HasPrefix(second, "photo-") {
		t.Errorf("across calls: %q, %q, %q", first, second, again)
	}
}

// FuzzMediaName: whatever the URL path, the name is valid everywhere.
func FuzzMediaName(f *testing.F) {
	for _, s := range []string{"photo.jpg", "%E4%B8%8A.jpg", "con", "a/b/", "..", "%00%ff.png", "x.JPG?y", " .. ", "~x~", "ＣＯＮ.jpg", "COM¹.png"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		c, err := mediaCanonical("https://example.com/" + p)
		if err != nil {
			return
		}
		stem, ext, _ := mediaNameParts(c)
		fe := &Fetcher{names: map[string]string{}, named: map[string]string{}}
		n := fe.hashedName(c, stem, ext)
		if bad := validMediaName(n); bad != "" {
			t.Fatalf("%q: name %q: %s", p, n, bad)
		}
		if bad := validMediaName(stem + ext); bad != "" && len(stem)+len(ext) <= maxMediaName {
			t.Fatalf("%q: plain name %q: %s", p, stem+ext, bad)
		}
	})
}

// A listener that is not an http server: the Fetcher's connect timeout
// and retries meet a server that accepts and never answers.
func TestFetchSilentServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var accepted atomic.Int64
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			go func() { io.Copy(io.Discard, c); c.Close() }()
		}
	}()
	f := newTestFetcher(t, MediaOptions{FileTimeout: 100 * time.Millisecond, Retries: 2})
	r := fetchOne(t, f, "http://"+ln.Addr().String()+"/x.jpg")
	if r.Err == nil {
		t.Fatal("no error from a silent server")
	}
	if n := accepted.Load(); n != 3 {
		t.Errorf("%d connections, want 3 (2 retries)", n)
	}
}
