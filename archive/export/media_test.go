package export

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/wparchive/wparchive/archive/markdown"
	"github.com/wparchive/wparchive/internal/corpus"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"golang.org/x/net/html"
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
		s.handle = mediaServe
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

// mediaBody is the content the default handler serves for a request URI.
func mediaBody(uri string) []byte {
	return bytes.Repeat([]byte("<"+uri+">"), 10)
}

func mediaServe(w http.ResponseWriter, r *http.Request, _ int) {
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("ETag", `"`+strconv.Itoa(len(r.URL.Path))+`"`)
	w.Write(mediaBody(r.URL.RequestURI()))
}

func newMediaFetcher(t *testing.T, opt MediaOptions) *Fetcher {
	t.Helper()
	if opt.CacheDir == "" {
		opt.CacheDir = t.TempDir()
	}
	if opt.Backoff == 0 {
		opt.Backoff = time.Millisecond
	}
	// The test servers are on loopback (mediaguard_test.go tests the
	// refusal).
	opt.AllowPrivate = true
	f, err := NewFetcher(opt)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func mediaFetchOne(t *testing.T, f *Fetcher, u string) MediaResult {
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
	f := newMediaFetcher(t, MediaOptions{})
	u := s.URL + "/wp-content/uploads/2010/08/photo.jpg"
	r := mediaFetchOne(t, f, u)
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	got, err := os.ReadFile(r.Path)
	if err != nil {
		t.Fatal(err)
	}
	want := mediaBody("/wp-content/uploads/2010/08/photo.jpg")
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
	if r2 := mediaFetchOne(t, f, u); r2.Err != nil || r2.Path != r.Path || r2.Name != r.Name {
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
	f := newMediaFetcher(t, MediaOptions{Retries: 3})
	r := mediaFetchOne(t, f, s.URL+"/missing.jpg")
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
	mediaFetchOne(t, f, s.URL+"/missing.jpg")
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
			mediaServe(w, r, n)
		}
	})
	f := newMediaFetcher(t, MediaOptions{Retries: 2})
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
		mediaServe(w, r, n)
	})
	f := newMediaFetcher(t, MediaOptions{Retries: 1, MaxWait: 1500 * time.Millisecond})
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
	f := newMediaFetcher(t, MediaOptions{FileTimeout: 150 * time.Millisecond, Retries: 1})
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
	mediaNoPartial(t, f.opt.CacheDir)
}

// mediaNoPartial fails if the cache holds a temporary file or a data
// file without its sidecar.
func mediaNoPartial(t *testing.T, dir string) {
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
	f := newMediaFetcher(t, MediaOptions{MaxBytes: 1000, Retries: 2})
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
	mediaNoPartial(t, f.opt.CacheDir)
}

// TestFetchHTMLPage: a web page where a file should be (a parked domain
// answers every address with one) is a failure, not a file named .jpg.
func TestFetchHTMLPage(t *testing.T) {
	s := newMediaServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if r.URL.Path == "/notes.txt" {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		} else {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
		}
		w.Write([]byte("<!doctype html><title>This domain is for sale</title>"))
	})
	f := newMediaFetcher(t, MediaOptions{})
	res := f.Fetch(context.Background(), []string{s.URL + "/photo.jpg", s.URL + "/notes.txt"})
	if r := res[s.URL+"/photo.jpg"]; !errors.Is(r.Err, ErrHTMLPage) || r.Path != "" {
		t.Errorf("HTML for a .jpg: %+v, want ErrHTMLPage", r)
	}
	if r := res[s.URL+"/notes.txt"]; r.Err != nil {
		t.Errorf("text/plain for a .txt: %v", r.Err)
	}
	if n := s.count("/photo.jpg"); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
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
			mediaServe(w, r, n)
		default:
			http.NotFound(w, r)
		}
	})
	f := newMediaFetcher(t, MediaOptions{Retries: 2})
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
	first := newMediaFetcher(t, MediaOptions{CacheDir: dir}).Fetch(context.Background(), urls)
	before := s.total()
	if before != 3 {
		t.Fatalf("first run: %d requests, want 3", before)
	}
	second := newMediaFetcher(t, MediaOptions{CacheDir: dir}).Fetch(context.Background(), urls)
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
	f := newMediaFetcher(t, MediaOptions{CacheDir: dir})
	r := mediaFetchOne(t, f, u)
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
		r2 := mediaFetchOne(t, newMediaFetcher(t, MediaOptions{CacheDir: dir}), u)
		got, _ := os.ReadFile(r2.Path)
		if r2.Err != nil || r2.Cached || !bytes.Equal(got, mediaBody("/d.jpg")) || s.count("/d.jpg") != before+1 {
			t.Errorf("damage %d: %+v, %d requests", k, r2, s.count("/d.jpg")-before)
		}
	}
	mediaNoPartial(t, dir)
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
	f := newMediaFetcher(t, MediaOptions{CacheDir: dir, Retries: 1})
	r := mediaFetchOne(t, f, s.URL+"/cut.jpg")
	if r.Err == nil || r.Path != "" {
		t.Fatalf("cut body: %+v, want an error", r)
	}
	if n := s.count("/cut.jpg"); n != 2 {
		t.Errorf("cut body: %d requests, want 2 (retried)", n)
	}
	mediaNoPartial(t, dir)
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
		mediaServe(w, r, n)
	})
	dir := t.TempDir()
	var urls []string
	for i := range 40 {
		urls = append(urls, fmt.Sprintf("%s/c/%d.jpg", s.URL, i))
	}
	var wg sync.WaitGroup
	results := make([]map[string]MediaResult, 4)
	for k := range results {
		f := newMediaFetcher(t, MediaOptions{CacheDir: dir, Workers: 3})
		wg.Go(func() { results[k] = f.Fetch(context.Background(), urls) })
	}
	wg.Wait()
	check := func(label string, res map[string]MediaResult) {
		for _, u := range urls {
			r := res[u]
			got, err := os.ReadFile(r.Path)
			want := mediaBody(strings.TrimPrefix(u, s.URL))
			if r.Err != nil || err != nil || !bytes.Equal(got, want) {
				t.Errorf("%s %s: %+v %v", label, u, r, err)
			}
		}
	}
	for k, res := range results {
		check(fmt.Sprint("fetcher ", k), res)
	}
	before := s.total()
	after := newMediaFetcher(t, MediaOptions{CacheDir: dir}).Fetch(context.Background(), urls)
	check("afterwards", after)
	if n := s.total() - before; n != 0 {
		t.Errorf("afterwards: %d requests, want 0", n)
	}
	mediaNoPartial(t, dir)
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
		mediaServe(w, r, n)
	})
	var urls []string
	for i := range 200 {
		u := fmt.Sprintf("%s/p/%03d.jpg", s.URL, i)
		urls = append(urls, u, u) // each twice: still one request
	}
	f := newMediaFetcher(t, MediaOptions{Workers: 4})
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
	f := newMediaFetcher(t, MediaOptions{})
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
	if r := mediaFetchOne(t, f, "HTTP://"+host+"/Upper.JPG"); r.Err != nil || r.Name != "Upper.jpg" {
		t.Errorf("HTTP:// URL: %+v", r)
	}
}

func TestFetchProtocolRelative(t *testing.T) {
	// //host/x is fetched as https: the TLS test server answers it, the
	// plain one would not.
	s := httptest.NewTLSServer(http.HandlerFunc(mediaServeTLS))
	defer s.Close()
	f := newMediaFetcher(t, MediaOptions{Client: s.Client()})
	u := "//" + strings.TrimPrefix(s.URL, "https://") + "/proto.png"
	r := mediaFetchOne(t, f, u)
	if r.Err != nil || r.Name != "proto.png" {
		t.Fatalf("%+v", r)
	}
	// The https form of the same URL is the same download.
	r2 := mediaFetchOne(t, f, "https:"+u)
	if r2.Path != r.Path || r2.Name != r.Name {
		t.Errorf("https form: %+v, protocol-relative: %+v", r2, r)
	}
}

func mediaServeTLS(w http.ResponseWriter, r *http.Request) { mediaServe(w, r, 1) }

func TestFetchCancel(t *testing.T) {
	s := newMediaServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	f := newMediaFetcher(t, MediaOptions{Workers: 2})
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
	f := newMediaFetcher(t, MediaOptions{})
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
		res := newMediaFetcher(t, MediaOptions{}).Fetch(context.Background(), urls)
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
	f := newMediaFetcher(t, MediaOptions{})
	first := mediaFetchOne(t, f, s.URL+"/2010/08/photo.jpg").Name
	second := mediaFetchOne(t, f, s.URL+"/2011/09/photo.jpg").Name
	again := mediaFetchOne(t, f, s.URL+"/2010/08/photo.jpg").Name
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
	f := newMediaFetcher(t, MediaOptions{FileTimeout: 100 * time.Millisecond, Retries: 2})
	r := mediaFetchOne(t, f, "http://"+ln.Addr().String()+"/x.jpg")
	if r.Err == nil {
		t.Fatal("no error from a silent server")
	}
	if n := accepted.Load(); n != 3 {
		t.Errorf("%d connections, want 3 (2 retries)", n)
	}
}

// mediaConverted returns the Markdown markdown.Convert writes for WordPress
// content, with two attachments for [gallery] and gallery blocks.
func mediaConverted(content, flavor string) string {
	atts := map[int]markdown.Attachment{
		101: {URL: "https://example.com/wp-content/uploads/2010/08/one.jpg", Alt: "First", Caption: "The <em>first</em> one"},
		102: {URL: "https://example.com/wp-content/uploads/2010/08/two.jpg", Alt: "Second"},
	}
	md, _ := markdown.Convert(content, markdown.Options{
		Flavor: flavor,
		Attachments: func(id int) (markdown.Attachment, bool) {
			a, ok := atts[id]
			return a, ok
		},
	})
	return md
}

// mediaCases are WordPress contents and the media URLs of their Markdown,
// the same for both flavors.
var mediaCases = []struct {
	name, content string
	want          []string
}{
	{"caption and linked image", `Intro.

[caption id="attachment_6" align="alignright" width="300"]<a href="https://example.com/wp-content/uploads/2010/08/big.jpg"><img class="size-medium wp-image-6" src="https://example.com/wp-content/uploads/2010/08/big-300x205.jpg" alt="A boat" width="300" height="205" /></a> A boat on "the" lake[/caption]

[caption width="200" caption="Old style"]<img src="https://example.com/old.jpg" alt="" />[/caption]`,
		[]string{"https://example.com/wp-content/uploads/2010/08/big-300x205.jpg", "https://example.com/wp-content/uploads/2010/08/big.jpg", "https://example.com/old.jpg"}},
	{"gallery shortcode", `Before.

[gallery ids="101,102" link="file"]`,
		[]string{"https://example.com/wp-content/uploads/2010/08/one.jpg", "https://example.com/wp-content/uploads/2010/08/two.jpg"}},
	{"audio and video shortcodes", `[audio mp3="https://example.com/song.mp3?x=1&y=2"]

[video mp4="https://example.com/clip.mp4" poster="https://example.com/poster.jpg" width="640" height="360"][/video]

[youtube https://www.youtube.com/watch?v=dQw4w9WgXcQ]`,
		[]string{"https://example.com/song.mp3?x=1&y=2", "https://example.com/clip.mp4", "https://example.com/poster.jpg"}},
	{"blocks", `<!-- wp:image {"id":5} -->
<figure class="wp-block-image"><img src="https://example.com/wp-content/uploads/2024/05/photo.jpg" alt="A photo"/><figcaption>A caption with <a href="https://example.com/credit">credit</a></figcaption></figure>
<!-- /wp:image -->

<!-- wp:gallery {"linkTo":"none"} -->
<figure class="wp-block-gallery"><!-- wp:image {"id":101} -->
<figure class="wp-block-image"><img src="https://example.com/g1.jpg" alt="G one"/></figure>
<!-- /wp:image -->
<!-- wp:image {"id":102} -->
<figure class="wp-block-image"><img src="https://example.com/g2.jpg" alt="G two"/><figcaption>Second in gallery</figcaption></figure>
<!-- /wp:image --></figure>
<!-- /wp:gallery -->

<!-- wp:file {"id":9} -->
<div class="wp-block-file"><a id="wp-block-file--media-1" href="https://example.com/wp-content/uploads/2024/05/report.pdf">report</a><a href="https://example.com/wp-content/uploads/2024/05/report.pdf" class="wp-block-file__button" download>Download</a></div>
<!-- /wp:file -->

<!-- wp:audio {"id":10} -->
<figure class="wp-block-audio"><audio controls src="https://example.com/talk.mp3"></audio><figcaption>A talk</figcaption></figure>
<!-- /wp:audio -->

<!-- wp:video {"id":11} -->
<figure class="wp-block-video"><video controls poster="https://example.com/vposter.jpg" src="https://example.com/clip.webm"></video></figure>
<!-- /wp:video -->

<!-- wp:paragraph -->
<p>A <a href="https://example.com/about/">page</a>, <code>https://example.com/in-code.jpg</code>.</p>
<!-- /wp:paragraph -->`,
		[]string{"https://example.com/wp-content/uploads/2024/05/photo.jpg", "https://example.com/g1.jpg", "https://example.com/g2.jpg",
			"https://example.com/wp-content/uploads/2024/05/report.pdf", "https://example.com/talk.mp3", "https://example.com/vposter.jpg", "https://example.com/clip.webm"}},
	{"classic odds and ends", `Text with <code>https://example.com/in-code.jpg</code> and a <a href="https://example.com/files/Guide%20(final).PDF?download=1">guide</a> and <a href="https://example.com/about/">about</a>.

<img src="//cdn.example.com/proto.png" alt="p" /> <img src="https://cdn.example.com/proto.png" /> <img src="/wp-content/uploads/relative.jpg" /> <img src="data:image/png;base64,iVBORw0KGgo=" /> <img src="https://chart.example.com/chart?cht=p3&amp;chd=t:60,40" />

<p lang="fr">Voici <img src="https://example.com/fr.jpg?a=1&amp;b=2" srcset="https://example.com/fr-300x200.jpg 300w, https://example.com/fr.jpg?a=1&amp;b=2 600w"> fin</p>

<pre>https://example.com/pre-text.jpg <a href="https://example.com/in-pre.pdf">pdf</a></pre>

<pre>![x](https://example.com/pre-md.jpg)</pre>

<a href="https://example.com/上海/照片.jpg"><img src="https://example.com/%E4%B8%8A%E6%B5%B7/%E7%85%A7%E7%89%87-150x150.jpg" /></a>`,
		[]string{"https://example.com/files/Guide%20%28final%29.PDF?download=1", "//cdn.example.com/proto.png", "https://chart.example.com/chart?cht=p3&chd=t%3A60%2C40", // as the converter encodes it
			"https://example.com/fr.jpg?a=1&b=2", "https://example.com/fr-300x200.jpg", "https://example.com/in-pre.pdf",
			"https://example.com/%E4%B8%8A%E6%B5%B7/%E7%85%A7%E7%89%87-150x150.jpg", "https://example.com/%E4%B8%8A%E6%B5%B7/%E7%85%A7%E7%89%87.jpg"}},
	{"literal shortcode in text", `<p>A post about Hugo: {{< figure src="https://example.com/literal.jpg" >}} and {{&lt; figure src="https://example.com/literal2.jpg" &gt;}}</p>
<pre>{{< figure src="https://example.com/literal3.jpg" >}}</pre>`, nil},
}

func TestMediaURLsConverted(t *testing.T) {
	for _, c := range mediaCases {
		for _, flavor := range []string{markdown.Hugo, markdown.Jekyll} {
			t.Run(c.name+"/"+flavor, func(t *testing.T) {
				md := mediaConverted(c.content, flavor)
				if got := MediaURLs(md); !slices.Equal(got, c.want) {
					t.Errorf("MediaURLs =\n%s\nwant\n%s\nMarkdown:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"), md)
				}
			})
		}
	}
}

// TestMediaURLsMarkdown: Markdown written by hand, for the syntax the
// converter rarely writes.
func TestMediaURLsMarkdown(t *testing.T) {
	cases := []struct {
		name, md string
		want     []string
	}{
		{"angle destination and title", `![a](<https://e.com/a b.jpg> "t") ![b](https://e.com/b.jpg 'https://e.com/title.jpg')`, []string{"https://e.com/a b.jpg", "https://e.com/b.jpg"}},
		{"parentheses", `![a](https://e.com/a_(1).jpg) [x](https://e.com/x\).pdf)`, []string{"https://e.com/a_(1).jpg", "https://e.com/x).pdf"}},
		{"entities and escapes", `![a](https://e.com/a.jpg?x=1&amp;y=2) ![b](https://e.com/b\_c.jpg)`, []string{"https://e.com/a.jpg?x=1&y=2", "https://e.com/b_c.jpg"}},
		{"autolink", `See <https://e.com/auto.pdf> and <https://e.com/page>.`, []string{"https://e.com/auto.pdf"}},
		{"code span and blocks", "`![a](https://e.com/span.jpg)` and ``x ![b](https://e.com/span2.jpg) y``\n\n```\n![c](https://e.com/fence.jpg)\n```\n\n~~~md\n<img src=\"https://e.com/tilde.jpg\">\n~~~\n\n    ![d](https://e.com/indented.jpg)\n\n![e](https://e.com/real.jpg)", []string{"https://e.com/real.jpg"}},
		{"escaped brackets", `\[a](https://e.com/notlink.jpg) \![b](https://e.com/link.jpg)`, []string{"https://e.com/link.jpg"}},
		{"links need a media path, images do not", `[p](https://e.com/page) [q](https://e.com/chart?x=1) ![](https://e.com/chart?y=1) [d](https://e.com/Doc.DOCX#p2)`, []string{"https://e.com/chart?y=1", "https://e.com/Doc.DOCX#p2"}},
		{"html block", "<div><img src=\"https://e.com/div.jpg\">\n![x](https://e.com/literal-in-html.jpg)\n</div>\n\n<video controls><source src=\"https://e.com/v.webm\" type=\"video/webm\"><track src=\"https://e.com/subs.vtt\"></video>\n\n<p><a href=\"https://e.com/doc.docx\">d</a> <a href=\"https://e.com/\">home</a> <img src='https://e.com/single.jpg'> <img src=https://e.com/bare.jpg></p>", []string{"https://e.com/div.jpg", "https://e.com/v.webm", "https://e.com/subs.vtt", "https://e.com/doc.docx", "https://e.com/single.jpg", "https://e.com/bare.jpg"}},
		{"srcset", `<p><img srcset="https://e.com/s1.jpg, https://e.com/s2.jpg 2x,https://e.com/s3.jpg 3x" src="https://e.com/s0.jpg"></p>`, []string{"https://e.com/s1.jpg", "https://e.com/s2.jpg", "https://e.com/s3.jpg", "https://e.com/s0.jpg"}},
		{"comments and scripts", "<!-- <img src=\"https://e.com/commented.jpg\"> -->\n\n<script>var x = '<img src=\"https://e.com/script.jpg\">';</script>\n\nText <!-- ![x](https://e.com/inline-comment.jpg) --> end.", nil},
		{"hugo shortcodes", `{{< figure src="https://e.com/fig.jpg" link="https://e.com/page" caption="A \"quoted\" [credit](https://e.com/credit.pdf)" >}}

{{</* figure src="https://e.com/literal.jpg" */>}}

{{< audio src="https://e.com/a.mp3" >}} {{< youtube dQw4w9WgXcQ >}}`, []string{"https://e.com/fig.jpg", "https://e.com/credit.pdf", "https://e.com/a.mp3"}},
		{"jekyll raw body", "{% raw %}\nA post about Hugo: {{< figure src=\"https://e.com/lit.jpg\" >}} ![](https://e.com/real.jpg)\n{% endraw %}\n", []string{"https://e.com/real.jpg"}},
		{"front matter", "---\ntitle: 'A [title](https://e.com/t.jpg)'\nimages:\n  - https://e.com/feat.jpg\nimage: \"https://e.com/jfeat.jpg\"\n---\nBody ![](https://e.com/feat.jpg) ![](https://e.com/body.jpg)\n", []string{"https://e.com/feat.jpg", "https://e.com/jfeat.jpg", "https://e.com/body.jpg"}},
		{"not http", `![](ftp://e.com/x.jpg) ![](data:image/png;base64,AAAA) ![](/rel.jpg) [x](file:///x.pdf) ![](javascript:alert(1)) ![](rel.jpg) <img src="///x.jpg">`, nil},
		{"one URL in several forms", `![](//e.com/x.png) ![](https://e.com/x.png) ![](HTTPS://E.COM/x.png) <img src="https://e.com/x.png#frag">`, []string{"//e.com/x.png"}},
		{"containers", "> quoted ![](https://e.com/q.jpg)\n>\n> ```\n> ![](https://e.com/q-code.jpg)\n> ```\n\n- item ![](https://e.com/li.jpg)\n\n  ```\n  ![](https://e.com/li-code.jpg)\n  ```\n\n| a | b |\n|---|---|\n| ![](https://e.com/cell.jpg) | [f](https://e.com/cell.zip) |\n\nText[^1].\n\n[^1]: See ![](https://e.com/fn.jpg).\n", []string{"https://e.com/q.jpg", "https://e.com/li.jpg", "https://e.com/cell.jpg", "https://e.com/cell.zip", "https://e.com/fn.jpg"}},
		{"nested image in link", `[![alt](https://e.com/thumb-150x150.jpg "t")](https://e.com/thumb.jpg)`, []string{"https://e.com/thumb-150x150.jpg", "https://e.com/thumb.jpg"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := MediaURLs(c.md); !slices.Equal(got, c.want) {
				t.Errorf("MediaURLs =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}

func TestRewriteMediaExact(t *testing.T) {
	cases := []struct {
		name, md string
		local    map[string]string
		want     string
	}{
		{"code stays", "`https://e.com/a.jpg` ![a](https://e.com/a.jpg)\n\n```\n![a](https://e.com/a.jpg)\n```\n",
			map[string]string{"https://e.com/a.jpg": "a.jpg"},
			"`https://e.com/a.jpg` ![a](a.jpg)\n\n```\n![a](https://e.com/a.jpg)\n```\n"},
		{"link text stays", "[https://e.com/a.pdf](https://e.com/a.pdf) https://e.com/a.pdf",
			map[string]string{"https://e.com/a.pdf": "files/a.pdf"},
			"[https://e.com/a.pdf](files/a.pdf) https://e.com/a.pdf"},
		{"entities in HTML", `<audio controls="" src="https://e.com/s.mp3?x=1&amp;y=2"></audio> Tom &amp; Jerry ![](https://e.com/s.mp3?x=1&y=2)`,
			map[string]string{"https://e.com/s.mp3?x=1&y=2": "s&t.mp3"},
			`<audio controls="" src="s&amp;t.mp3"></audio> Tom &amp; Jerry ![](s&t.mp3)`},
		{"exact URL only", `![](https://e.com/a.jpg.webp) ![](https://e.com/a.jpg) ![](https://e.com/a.jpg?w=1)`,
			map[string]string{"https://e.com/a.jpg": "a.jpg"},
			`![](https://e.com/a.jpg.webp) ![](a.jpg) ![](https://e.com/a.jpg?w=1)`},
		{"values that need encoding", `![](https://e.com/a.jpg "t") <img src="https://e.com/a.jpg" srcset="https://e.com/a.jpg 2x"> <img src=https://e.com/a.jpg> ![](<https://e.com/a.jpg>)`,
			map[string]string{"https://e.com/a.jpg": `my (1) "x".jpg`},
			`![](my%20%281%29%20"x".jpg "t") <img src="my (1) &#34;x&#34;.jpg" srcset="my%20(1)%20&#34;x&#34;.jpg 2x"> <img src="my (1) &#34;x&#34;.jpg"> ![](<my (1) "x".jpg>)`},
		{"autolink", `See <https://e.com/auto.pdf>.`,
			map[string]string{"https://e.com/auto.pdf": "auto.pdf"},
			`See [https://e.com/auto.pdf](auto.pdf).`},
		{"shortcodes", `{{< figure src="https://e.com/f.jpg" link="https://e.com/f.jpg" caption="https://e.com/f.jpg" >}} {{</* figure src="https://e.com/f.jpg" */>}}`,
			map[string]string{"https://e.com/f.jpg": "f.jpg"},
			`{{< figure src="f.jpg" link="f.jpg" caption="f.jpg" >}} {{</* figure src="https://e.com/f.jpg" */>}}`},
		{"canonical forms", `![](//e.com/x.png) <img src="HTTPS://E.COM/x.png">`,
			map[string]string{"https://e.com/x.png": "x.png"},
			`![](x.png) <img src="x.png">`},
		{"front matter", "---\ntitle: Photo https://e.com/p.jpg\nimages:\n  - https://e.com/p.jpg\nimage: \"https://e.com/p.jpg\" # featured\n---\n![](https://e.com/p.jpg)\n",
			map[string]string{"https://e.com/p.jpg": "it's.jpg"},
			"---\ntitle: Photo https://e.com/p.jpg\nimages:\n  - 'it''s.jpg'\nimage: 'it''s.jpg' # featured\n---\n![](it's.jpg)\n"},
		{"HTML over lines of a quote", "> <div><img alt=\"q\"\n> src=\"https://e.com/bq.jpg\"></div>\n",
			map[string]string{"https://e.com/bq.jpg": "bq.jpg"},
			"> <div><img alt=\"q\"\n> src=\"bq.jpg\"></div>\n"},
		{"nothing to do", "![](https://e.com/a.jpg)", map[string]string{"https://e.com/b.jpg": "b.jpg"}, "![](https://e.com/a.jpg)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := RewriteMedia(c.md, c.local); got != c.want {
				t.Errorf("RewriteMedia =\n%s\nwant\n%s", got, c.want)
			}
		})
	}
}

// mediaRendered renders md with goldmark as Hugo does (raw HTML kept) and
// returns the URLs of its src, srcset, href, poster and data attributes
// in order, and its visible text with Hugo shortcodes left out.
func mediaRendered(t *testing.T, md string) (urls []string, text string) {
	urls, _, text = mediaRenderedMissed(t, md)
	return urls, text
}

// mediaRenderedMissed is mediaRendered that also returns the http(s)
// URLs in media places: images, audio, video, posters, and links to files
// with a media extension.
func mediaRenderedMissed(t *testing.T, md string) (urls, media []string, text string) {
	t.Helper()
	if end, ok := mediaFrontMatterEnd(md); ok {
		md = md[end:]
	}
	var buf bytes.Buffer
	gm := goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Footnote), goldmark.WithRendererOptions(gmhtml.WithUnsafe()))
	if err := gm.Convert([]byte(md), &buf); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(&buf)
	if err != nil {
		t.Fatal(err)
	}
	var tb strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.ElementNode:
			for _, a := range n.Attr {
				v := strings.TrimSpace(a.Val)
				switch a.Key {
				case "src", "href", "poster", "data":
					urls = append(urls, v)
					isMedia := a.Key == "poster" || mediaURL(v)
					if a.Key == "src" {
						switch n.Data {
						case "img", "audio", "video", "source", "track":
							isMedia = true
						}
					}
					if isMedia && mediaHTTPLike(v) {
						media = append(media, v)
					}
				case "srcset":
					for _, c := range strings.Split(a.Val, ",") {
						if f := strings.Fields(c); len(f) > 0 {
							urls = append(urls, f[0])
							if mediaHTTPLike(f[0]) {
								media = append(media, f[0])
							}
						}
					}
				}
			}
		case html.TextNode:
			tb.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	text = mediaReShortcode.ReplaceAllString(tb.String(), "{{<>}}")
	return urls, media, text
}

var mediaReShortcode = regexp.MustCompile(`(?s)\{\{<.*?>\}\}`)

// mediaReFigure finds the URL parameters of Hugo figure shortcodes.
var mediaReFigure = regexp.MustCompile(`\b(?:src|link)="((?:[^"\\]|\\.)*)"`)

func mediaShortcodeURLs(md string) []string {
	if strings.HasPrefix(md, "{% raw %}") {
		return nil // Jekyll: text
	}
	var out []string
	for _, sc := range mediaReShortcode.FindAllString(md, -1) {
		if strings.HasPrefix(sc, "{{</*") {
			continue
		}
		for _, m := range mediaReFigure.FindAllStringSubmatch(sc, -1) {
			out = append(out, m[1])
		}
	}
	return out
}

// mediaCheckRewrite rewrites every media URL of md and checks the result as a
// reader would see it: every URL attribute of the rendered HTML and every
// shortcode URL that named a rewritten file now names its local copy, no
// other changed, and the visible text is the same.
func mediaCheckRewrite(t *testing.T, label, md string) (n int) {
	t.Helper()
	urls := MediaURLs(md)
	local := map[string]string{}
	byCanon := map[string]string{}
	for i, u := range urls {
		// Every third name needs encoding in Markdown and srcset.
		v := fmt.Sprintf("m/%d.bin", i)
		if i%3 == 2 {
			v = fmt.Sprintf("m/a b (%d).bin", i)
		}
		local[u] = v
		c, err := mediaCanonical(u)
		if err != nil {
			t.Fatalf("%s: MediaURLs gave %q: %v", label, u, err)
		}
		byCanon[c] = v
	}
	out := RewriteMedia(md, local)
	if left := MediaURLs(out); len(left) > 0 {
		t.Errorf("%s: left after rewriting: %q\nMarkdown:\n%s\nrewritten:\n%s", label, left, md, out)
	}
	want := func(u string) string {
		if c, err := mediaCanonical(u); err == nil {
			if v, ok := byCanon[c]; ok {
				return v
			}
		}
		return u
	}
	same := func(a, b string) bool {
		ua, errA := url.PathUnescape(a)
		ub, errB := url.PathUnescape(b)
		return a == b || (errA == nil && errB == nil && ua == ub)
	}
	before, textBefore := mediaRendered(t, md)
	after, missed, textAfter := mediaRenderedMissed(t, out)
	if len(missed) > 0 {
		t.Errorf("%s: media URLs MediaURLs missed: %q\nMarkdown:\n%s", label, missed, md)
	}
	for _, u := range mediaShortcodeURLs(out) {
		if mediaHTTPLike(u) && (mediaURL(u) || strings.Contains(out, `src="`+u+`"`)) {
			t.Errorf("%s: shortcode URL MediaURLs missed: %q", label, u)
		}
	}
	if len(before) != len(after) {
		t.Errorf("%s: %d URLs rendered before, %d after\n%q\n%q", label, len(before), len(after), before, after)
		return len(urls)
	}
	for i := range before {
		if w := want(before[i]); !same(after[i], w) {
			t.Errorf("%s: URL %d: %q became %q, want %q", label, i, before[i], after[i], w)
		}
	}
	if textBefore != textAfter {
		t.Errorf("%s: visible text changed:\n%s\n----\n%s", label, textBefore, textAfter)
	}
	sb, sa := mediaShortcodeURLs(md), mediaShortcodeURLs(out)
	if len(sb) != len(sa) {
		t.Errorf("%s: shortcode URLs %q became %q", label, sb, sa)
		return len(urls)
	}
	for i := range sb {
		if w := want(sb[i]); !same(sa[i], w) {
			t.Errorf("%s: shortcode URL %q became %q, want %q", label, sb[i], sa[i], w)
		}
	}
	return len(urls)
}

func TestRewriteMediaConverted(t *testing.T) {
	for _, c := range mediaCases {
		for _, flavor := range []string{markdown.Hugo, markdown.Jekyll} {
			mediaCheckRewrite(t, c.name+"/"+flavor, mediaConverted(c.content, flavor))
		}
	}
	for _, file := range []string{"shortcodes-nested", "blocks-core", "wpautop-classic", "lang-classic", "lang-chinese-blockquote"} {
		for _, flavor := range []string{markdown.Hugo, markdown.Jekyll} {
			p := filepath.Join("..", "..", "testdata", "markdown", file, "want."+flavor+".md")
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			mediaCheckRewrite(t, p, string(b))
		}
	}
}

// mediaCorpusItem is the part of a WXR item the corpus test needs.
type mediaCorpusItem struct {
	Title   string `xml:"title"`
	Content string `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
	Type    string `xml:"post_type"`
}

// TestMediaCorpus converts every post and page of the public corpus with
// both flavors and checks the rewriting of all their media URLs as a
// reader of the built site would see it (mediaCheckRewrite).
func TestMediaCorpus(t *testing.T) {
	dir := corpus.Need(t)
	files, err := filepath.Glob(filepath.Join(dir, "public", "*.xml"))
	if err != nil {
		t.Fatal(err)
	}
	posts, found := 0, 0
	for _, file := range files {
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		d := xml.NewDecoder(f)
		for {
			tok, err := d.Token()
			if err != nil {
				break // the end, or a damaged export: what was read counts
			}
			se, ok := tok.(xml.StartElement)
			if !ok || se.Name.Local != "item" {
				continue
			}
			var it mediaCorpusItem
			if d.DecodeElement(&it, &se) != nil {
				break
			}
			if it.Type != "post" && it.Type != "page" {
				continue
			}
			posts++
			for _, flavor := range []string{markdown.Hugo, markdown.Jekyll} {
				found += mediaCheckRewrite(t, fmt.Sprintf("%s: %q (%s)", filepath.Base(file), it.Title, flavor), mediaConverted(it.Content, flavor))
			}
		}
		f.Close()
	}
	t.Logf("%d posts and pages, %d media URLs found and rewritten over both flavors", posts, found)
	if posts == 0 || found == 0 {
		t.Fatal("nothing checked")
	}
}

// mediaBenchPosts returns converter output with media: the cases above
// and the golden files of archive/markdown, both flavors.
func mediaBenchPosts(b *testing.B) []string {
	var posts []string
	for _, c := range mediaCases {
		posts = append(posts, mediaConverted(c.content, markdown.Hugo), mediaConverted(c.content, markdown.Jekyll))
	}
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "markdown", "*", "want.*.md"))
	for _, f := range files {
		bs, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		posts = append(posts, string(bs))
	}
	return posts
}

// BenchmarkMediaURLs: finding the media of one post (op = all the posts
// of mediaBenchPosts; bytes/s is Markdown read).
func BenchmarkMediaURLs(b *testing.B) {
	posts := mediaBenchPosts(b)
	n := 0
	for _, p := range posts {
		n += len(p)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range posts {
			MediaURLs(p)
		}
	}
}

func BenchmarkRewriteMedia(b *testing.B) {
	posts := mediaBenchPosts(b)
	locals := make([]map[string]string, len(posts))
	n := 0
	for i, p := range posts {
		n += len(p)
		locals[i] = map[string]string{}
		for k, u := range MediaURLs(p) {
			locals[i][u] = fmt.Sprintf("m/%d.jpg", k)
		}
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		for i, p := range posts {
			RewriteMedia(p, locals[i])
		}
	}
}

// BenchmarkFetchCached: a second run over 1,000 cached files (op = the
// Fetch call with a new Fetcher): what --media download costs when
// nothing changed.
func BenchmarkFetchCached(b *testing.B) {
	s := httptest.NewServer(http.HandlerFunc(mediaServeTLS))
	defer s.Close()
	dir := b.TempDir()
	var urls []string
	for i := range 1000 {
		urls = append(urls, fmt.Sprintf("%s/wp-content/uploads/%d/photo-%d.jpg", s.URL, i%20, i))
	}
	f, err := NewFetcher(MediaOptions{CacheDir: dir, AllowPrivate: true})
	if err != nil {
		b.Fatal(err)
	}
	f.Fetch(context.Background(), urls)
	b.ReportAllocs()
	for b.Loop() {
		f, _ := NewFetcher(MediaOptions{CacheDir: dir, AllowPrivate: true})
		for _, r := range f.Fetch(context.Background(), urls) {
			if !r.Cached {
				b.Fatal("not cached")
			}
		}
	}
}

// The child side of the process tests: with WPARCHIVE_MEDIA_CHILD set,
// TestMediaChild fetches the URLs in it (separated by spaces) into the
// cache WPARCHIVE_MEDIA_CACHE and prints the results as JSON.
func TestMediaChild(t *testing.T) {
	urls := os.Getenv("WPARCHIVE_MEDIA_CHILD")
	if urls == "" {
		t.Skip("run by the process tests only")
	}
	f, err := NewFetcher(MediaOptions{CacheDir: os.Getenv("WPARCHIVE_MEDIA_CACHE"), Workers: 3, AllowPrivate: true})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for u, r := range f.Fetch(context.Background(), strings.Fields(urls)) {
		if r.Err != nil {
			out[u] = "error: " + r.Err.Error()
		} else {
			out[u] = r.Path
		}
	}
	b, _ := json.Marshal(out)
	fmt.Printf("\nRESULT %s\n", b)
}

func mediaChild(t *testing.T, cache string, urls []string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestMediaChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "WPARCHIVE_MEDIA_CHILD="+strings.Join(urls, " "), "WPARCHIVE_MEDIA_CACHE="+cache)
	return cmd
}

// TestFetchConcurrentProcesses: three processes (three exports at once)
// fill one cache directory with the same files; each gets complete files
// and the cache is whole afterwards.
func TestFetchConcurrentProcesses(t *testing.T) {
	s := newMediaServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		time.Sleep(2 * time.Millisecond)
		mediaServe(w, r, n)
	})
	dir := t.TempDir()
	var urls []string
	for i := range 30 {
		urls = append(urls, fmt.Sprintf("%s/proc/%d.jpg", s.URL, i))
	}
	var wg sync.WaitGroup
	outs := make([][]byte, 3)
	errs := make([]error, 3)
	for k := range outs {
		wg.Go(func() { outs[k], errs[k] = mediaChild(t, dir, urls).CombinedOutput() })
	}
	wg.Wait()
	for k, out := range outs {
		if errs[k] != nil {
			t.Fatalf("child %d: %v\n%s", k, errs[k], out)
		}
		_, js, ok := strings.Cut(string(out), "\nRESULT ")
		if !ok {
			t.Fatalf("child %d printed no result:\n%s", k, out)
		}
		var res map[string]string
		if err := json.Unmarshal([]byte(strings.TrimSpace(strings.SplitN(js, "\n", 2)[0])), &res); err != nil {
			t.Fatal(err)
		}
		for _, u := range urls {
			got, err := os.ReadFile(res[u])
			if err != nil || !bytes.Equal(got, mediaBody(strings.TrimPrefix(u, s.URL))) {
				t.Errorf("child %d: %s: %q %v", k, u, res[u], err)
			}
		}
	}
	before := s.total()
	for _, u := range urls {
		if r := mediaFetchOne(t, newMediaFetcher(t, MediaOptions{CacheDir: dir}), u); !r.Cached {
			t.Errorf("%s not cached after the children: %+v", u, r)
		}
	}
	if n := s.total() - before; n != 0 {
		t.Errorf("%d requests after the children, want 0", n)
	}
	mediaNoPartial(t, dir)
}

// TestFetchKilled: a process killed in the middle of a download leaves no
// entry that looks complete; the next run downloads the file whole.
func TestFetchKilled(t *testing.T) {
	half := make(chan struct{})
	var once sync.Once
	s := newMediaServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		body := mediaBody(r.URL.RequestURI())
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		if n == 1 {
			w.Write(body[:len(body)/2])
			w.(http.Flusher).Flush()
			once.Do(func() { close(half) })
			<-r.Context().Done() // the rest never comes: the child is killed first
			return
		}
		w.Write(body)
	})
	dir := t.TempDir()
	u := s.URL + "/killed.jpg"
	cmd := mediaChild(t, dir, []string{u})
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-half:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the child never started its download")
	}
	cmd.Process.Kill()
	cmd.Wait()
	f := newMediaFetcher(t, MediaOptions{CacheDir: dir})
	if _, ok := f.lookup(u); ok {
		t.Fatal("a killed download is in the cache")
	}
	r := mediaFetchOne(t, f, u)
	got, _ := os.ReadFile(r.Path)
	if r.Err != nil || r.Cached || !bytes.Equal(got, mediaBody("/killed.jpg")) {
		t.Errorf("after the kill: %+v, %d bytes", r, len(got))
	}
}
