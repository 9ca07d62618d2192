package export

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
	"go.yaml.in/yaml/v3"
	"golang.org/x/net/html"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// MediaOptions controls a Fetcher. Zero fields take their defaults.
type MediaOptions struct {
	CacheDir string       // cross-run cache; default os.UserCacheDir()/wparchive/media
	Client   *http.Client // nil: a client with timeouts that refuses non-public addresses (see AllowPrivate); either way redirects are limited (see Fetch)
	Workers  int          // parallel downloads, default 4
	Retries  int          // default 2, with backoff, for network errors and 5xx/429; negative: none
	MaxBytes int64        // per file, default 256 MiB

	// AllowPrivate lets the default client connect to loopback, private,
	// link-local and other non-public addresses (ErrPrivateAddress), for
	// a blog on the local network. Off, a URL that leads there (by its
	// host, its DNS answer at connect time, or a redirect) fails with
	// ErrPrivateAddress: the URLs come from an export file, which may be
	// anyone's. A Client given is used as it is.
	AllowPrivate bool

	ConnectTimeout time.Duration // dialing and TLS handshake of the default client; default 10s
	FileTimeout    time.Duration // one attempt at one file, request to last byte; default 5m
	Backoff        time.Duration // wait before the first retry, doubled for each next; default 500ms
	MaxWait        time.Duration // cap on one wait, a server's Retry-After included; default 30s
}

// Defaults of MediaOptions.
const (
	DefaultWorkers        = 4
	DefaultRetries        = 2
	DefaultMaxBytes int64 = 256 << 20
	maxRedirects          = 5
	maxMediaName          = 100
	userAgent             = "wparchive-media/1 (WordPress archive export)"
)

// Errors in MediaResult.Err; a caller tells them apart with errors.Is and
// errors.As (StatusError). Network errors and context errors come wrapped
// as the net/http client gives them.
var (
	// ErrNotHTTP: the URL is not an absolute http or https URL; it was not requested.
	ErrNotHTTP = errors.New("export: not an http or https URL")
	// ErrTooLarge: the file is larger than MediaOptions.MaxBytes (by its
	// Content-Length or by the bytes received); nothing was kept.
	ErrTooLarge = errors.New("export: media file larger than the limit")
	// ErrRedirect: a redirect was refused (not to http or https, or more than 5).
	ErrRedirect = errors.New("export: redirect refused")
	// ErrHTMLPage: the server answered with a web page (text/html), as a
	// parked domain or a login wall does for every address, not the file.
	ErrHTMLPage = errors.New("export: server sent a web page, not the file")
)

// StatusError is the error of a download that the server answered with a
// status other than 2xx (after the retries, for 5xx and 429).
type StatusError struct {
	URL    string
	Code   int
	Status string // as the server sent it, e.g. "404 Not Found"
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("download %s: server answered %s", e.URL, e.Status)
}

// Fetcher downloads media files into a cache shared across runs. One
// Fetcher is one run: it requests each URL at most once however often
// Fetch is called, and gives each URL one file name. It is safe for
// concurrent use, and several Fetchers (in one process or several) may
// share one cache directory.
type Fetcher struct {
	opt    MediaOptions
	client *http.Client
	slots  chan struct{} // one per request in flight

	mu    sync.Mutex
	calls map[string]*mediaCall // by canonical URL: the run's one download of it
	names map[string]string     // folded name → the canonical URL that holds it
	named map[string]string     // canonical URL → its name
}

// mediaCall is the one download of a canonical URL in a run.
type mediaCall struct {
	done chan struct{}
	res  MediaResult
}

// MediaResult is what Fetch did with one URL.
type MediaResult struct {
	Path   string // file in the cache, "" on failure
	Name   string // a safe file name for the site (valid on Linux, macOS, Windows; unique per URL)
	Err    error
	Cached bool // served from the cache without a request

	ContentType string // as the server sent it (kept in the cache)
	Size        int64  // bytes in Path
}

// NewFetcher returns a Fetcher with opt's defaults filled in and its cache
// directory created. The error comes from finding or creating that
// directory.
func NewFetcher(opt MediaOptions) (*Fetcher, error) {
	if opt.CacheDir == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			return nil, fmt.Errorf("media cache: %w (set a cache directory)", err)
		}
		opt.CacheDir = filepath.Join(dir, "wparchive", "media")
	}
	if err := os.MkdirAll(opt.CacheDir, 0o755); err != nil {
		return nil, fmt.Errorf("media cache: %w", err)
	}
	if opt.Workers <= 0 {
		opt.Workers = DefaultWorkers
	}
	if opt.Retries == 0 {
		opt.Retries = DefaultRetries
	} else if opt.Retries < 0 {
		opt.Retries = 0
	}
	if opt.MaxBytes <= 0 {
		opt.MaxBytes = DefaultMaxBytes
	}
	if opt.ConnectTimeout <= 0 {
		opt.ConnectTimeout = 10 * time.Second
	}
	if opt.FileTimeout <= 0 {
		opt.FileTimeout = 5 * time.Minute
	}
	if opt.Backoff <= 0 {
		opt.Backoff = 500 * time.Millisecond
	}
	if opt.MaxWait <= 0 {
		opt.MaxWait = 30 * time.Second
	}
	var client http.Client
	if opt.Client != nil {
		client = *opt.Client
	} else {
		dialer := &net.Dialer{Timeout: opt.ConnectTimeout, KeepAlive: 30 * time.Second}
		tr := &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           dialer.DialContext,
			TLSHandshakeTimeout:   opt.ConnectTimeout,
			ResponseHeaderTimeout: opt.FileTimeout,
			MaxIdleConnsPerHost:   opt.Workers,
			IdleConnTimeout:       90 * time.Second,
			ForceAttemptHTTP2:     true,
		}
		if !opt.AllowPrivate {
			tr = guardTransport(tr, dialer)
		}
		client.Transport = tr
	}
	own := client.CheckRedirect
	client.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if s := req.URL.Scheme; s != "http" && s != "https" {
			return fmt.Errorf("%w: to %s", ErrRedirect, req.URL.Redacted())
		}
		if len(via) > maxRedirects {
			return fmt.Errorf("%w: more than %d redirects", ErrRedirect, maxRedirects)
		}
		if own != nil {
			return own(req, via)
		}
		return nil
	}
	return &Fetcher{
		opt:    opt,
		client: &client,
		slots:  make(chan struct{}, opt.Workers),
		calls:  map[string]*mediaCall{},
		names:  map[string]string{},
		named:  map[string]string{},
	}, nil
}

// Fetch downloads every URL (http/https only, each once, parallel,
// bounded, retried, cached by URL across runs) and returns a result for
// each distinct string in urls; it never returns an error for a failed
// download (that is in the result). A protocol-relative URL (//host/x) is
// fetched as https. Redirects are followed at most 5 times and only to
// http or https. Names depend only on the URLs: a URL keeps its name for
// the whole run, and URLs whose names would clash (also by case, as on
// macOS and Windows) get a short suffix decided by the URL. Give Fetch
// all the URLs of a run in one call to make every name independent of
// the order of the posts.
func (f *Fetcher) Fetch(ctx context.Context, urls []string) map[string]MediaResult {
	out := make(map[string]MediaResult, len(urls))
	canonOf := make(map[string]string, len(urls))
	var order []string // distinct canonical URLs, first seen first
	seen := map[string]bool{}
	for _, u := range urls {
		if _, ok := out[u]; ok {
			continue
		}
		if _, ok := canonOf[u]; ok {
			continue
		}
		c, err := mediaCanonical(u)
		if err != nil {
			out[u] = MediaResult{Err: err}
			continue
		}
		canonOf[u] = c
		if !seen[c] {
			seen[c] = true
			order = append(order, c)
		}
	}

	f.mu.Lock()
	f.assignNames(order)
	var todo []string
	calls := make(map[string]*mediaCall, len(order))
	for _, c := range order {
		cl, ok := f.calls[c]
		if !ok {
			cl = &mediaCall{done: make(chan struct{})}
			f.calls[c] = cl
			todo = append(todo, c)
		}
		calls[c] = cl
	}
	f.mu.Unlock()

	// More goroutines than slots, so that a download waiting to retry does
	// not hold back the others; f.slots bounds the requests in flight.
	jobs := make(chan string)
	var wg sync.WaitGroup
	for range min(len(todo), 4*f.opt.Workers) {
		wg.Go(func() {
			for c := range jobs {
				f.run(ctx, c, calls[c])
			}
		})
	}
	for _, c := range todo {
		jobs <- c
	}
	close(jobs)
	wg.Wait()

	for u, c := range canonOf {
		cl := calls[c]
		select {
		case <-cl.done:
		default:
			select { // started by another Fetch and still going on
			case <-cl.done:
			case <-ctx.Done():
				out[u] = MediaResult{Err: ctx.Err(), Name: f.nameOf(c)}
				continue
			}
		}
		r := cl.res
		r.Name = f.nameOf(c)
		out[u] = r
	}
	return out
}

// run downloads c, names it if its name waits for its content type, and
// publishes the result to every Fetch waiting for it.
func (f *Fetcher) run(ctx context.Context, c string, cl *mediaCall) {
	res := f.download(ctx, c)
	f.mu.Lock()
	if _, ok := f.named[c]; !ok {
		f.nameLater(c, res.ContentType)
	}
	if res.Err != nil && ctx.Err() != nil {
		// Cut short by the caller: a later Fetch may try again.
		delete(f.calls, c)
	}
	f.mu.Unlock()
	cl.res = res
	close(cl.done)
}

func (f *Fetcher) nameOf(c string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.named[c]
}

// mediaCanonical returns the URL Fetch requests for raw and keys its cache
// with: scheme and host lower case, no fragment, https for //host/x.
func mediaCanonical(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if strings.HasPrefix(s, "//") {
		s = "https:" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("%w: %q", ErrNotHTTP, raw)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "" {
		return "", fmt.Errorf("%w: %q", ErrNotHTTP, raw)
	}
	u.Host = strings.ToLower(u.Host)
	u.Fragment, u.RawFragment = "", ""
	return u.String(), nil
}

// download returns the cached file of c or downloads it, retrying what
// may succeed on another try.
func (f *Fetcher) download(ctx context.Context, c string) MediaResult {
	if r, ok := f.lookup(c); ok {
		return r
	}
	for attempt := 0; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return MediaResult{Err: err}
		}
		select {
		case f.slots <- struct{}{}:
		case <-ctx.Done():
			return MediaResult{Err: ctx.Err()}
		}
		res, retry, after := f.attempt(ctx, c)
		<-f.slots
		if res.Err == nil || !retry || attempt >= f.opt.Retries || ctx.Err() != nil {
			return res
		}
		wait := f.opt.Backoff << attempt
		wait += rand.N(wait/4 + 1) // spread the retries of parallel downloads
		if after > 0 {
			wait = after
		}
		wait = min(wait, f.opt.MaxWait)
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return res
		}
	}
}

// attempt makes one request for c and stores the body in the cache. It
// reports whether a failure may succeed on retry, and how long the server
// asked to wait (Retry-After) if it did.
func (f *Fetcher) attempt(ctx context.Context, c string) (res MediaResult, retry bool, after time.Duration) {
	actx, cancel := context.WithTimeout(ctx, f.opt.FileTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodGet, c, nil)
	if err != nil {
		return MediaResult{Err: fmt.Errorf("download %s: %w", c, err)}, false, 0
	}
	req.Header.Set("User-Agent", userAgent)
	resp, err := f.client.Do(req)
	if err != nil {
		retry := mediaRetryable(ctx, err)
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // it says the URL again
		}
		return MediaResult{Err: fmt.Errorf("download %s: %w", c, err)}, retry, 0
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		_, _ = io.CopyN(io.Discard, resp.Body, 64<<10) // lets the connection be reused
		code := resp.StatusCode
		retry = code >= 500 || code == http.StatusTooManyRequests || code == http.StatusRequestTimeout
		return MediaResult{Err: &StatusError{URL: c, Code: code, Status: resp.Status}}, retry, mediaRetryAfter(resp.Header.Get("Retry-After"))
	}
	if ct, _, _ := strings.Cut(resp.Header.Get("Content-Type"), ";"); mediaIsHTML(ct) {
		return MediaResult{Err: fmt.Errorf("download %s: %w (%s)", c, ErrHTMLPage, strings.TrimSpace(ct))}, false, 0
	}
	if resp.ContentLength > f.opt.MaxBytes {
		return MediaResult{Err: fmt.Errorf("download %s: %w: %d bytes said, limit %d", c, ErrTooLarge, resp.ContentLength, f.opt.MaxBytes)}, false, 0
	}
	m := mediaMeta{
		URL:          c,
		ContentType:  resp.Header.Get("Content-Type"),
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
	}
	path, size, err := f.store(resp.Body, &m)
	if err != nil {
		if errors.Is(err, ErrTooLarge) {
			return MediaResult{Err: fmt.Errorf("download %s: %w: more than %d bytes", c, ErrTooLarge, f.opt.MaxBytes)}, false, 0
		}
		var fsErr *os.PathError
		if errors.As(err, &fsErr) {
			return MediaResult{Err: fmt.Errorf("media cache: %w", err)}, false, 0
		}
		return MediaResult{Err: fmt.Errorf("download %s: %w", c, err)}, mediaRetryable(ctx, err), 0
	}
	return MediaResult{Path: path, ContentType: m.ContentType, Size: size}, false, 0
}

func mediaIsHTML(ct string) bool {
	ct = strings.ToLower(strings.TrimSpace(ct))
	return ct == "text/html" || ct == "application/xhtml+xml"
}

// mediaRetryable reports whether a request error may go away on another try:
// network errors and timeouts do; refused redirects and addresses, unknown hosts, bad
// certificates and the caller's cancellation do not.
func mediaRetryable(ctx context.Context, err error) bool {
	if ctx.Err() != nil || errors.Is(err, ErrRedirect) || errors.Is(err, ErrPrivateAddress) {
		return false
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) && dnsErr.IsNotFound {
		return false
	}
	var certErr *tls.CertificateVerificationError
	if errors.As(err, &certErr) {
		return false
	}
	var urlErr *url.Error
	if errors.As(err, &urlErr) && strings.Contains(urlErr.Err.Error(), "unsupported protocol scheme") {
		return false
	}
	return true
}

// mediaRetryAfter returns the wait a Retry-After header asks for (seconds or
// an HTTP date), 0 if none.
func mediaRetryAfter(v string) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n <= 0 {
			return 0
		}
		if n > 1<<20 {
			n = 1 << 20
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0)
	}
	return 0
}

// The cache: CacheDir/ab/<sha256 of the canonical URL> holds the file and
// <same>.json its mediaMeta. Both are written to a temporary file and
// renamed into place, the file first: an entry counts only when its meta
// names its URL and its size, so an interrupted or concurrent write is a
// miss, never a half file.

type mediaMeta struct {
	URL          string `json:"url"`
	Size         int64  `json:"size"`
	SHA256       string `json:"sha256"`
	ContentType  string `json:"content_type,omitempty"`
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
	Fetched      string `json:"fetched"`
}

func (f *Fetcher) cachePaths(c string) (dir, data, meta, key string) {
	sum := sha256.Sum256([]byte(c))
	key = hex.EncodeToString(sum[:])
	dir = filepath.Join(f.opt.CacheDir, key[:2])
	data = filepath.Join(dir, key)
	return dir, data, data + ".json", key
}

// lookup returns the cached file of c if a complete one is there.
func (f *Fetcher) lookup(c string) (MediaResult, bool) {
	_, data, meta, _ := f.cachePaths(c)
	b, err := os.ReadFile(meta)
	if err != nil {
		return MediaResult{}, false
	}
	var m mediaMeta
	if json.Unmarshal(b, &m) != nil || m.URL != c {
		return MediaResult{}, false
	}
	st, err := os.Stat(data)
	if err != nil || !st.Mode().IsRegular() || st.Size() != m.Size || m.Size > f.opt.MaxBytes {
		return MediaResult{}, false
	}
	return MediaResult{Path: data, Cached: true, ContentType: m.ContentType, Size: m.Size}, true
}

// store writes body (at most MaxBytes) into the cache entry of m.URL and
// fills in m's size and checksum.
func (f *Fetcher) store(body io.Reader, m *mediaMeta) (path string, size int64, err error) {
	dir, data, meta, key := f.cachePaths(m.URL)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", 0, err
	}
	mediaRemoveStale(dir, key)
	tmp, err := os.CreateTemp(dir, "tmp-"+key+"-*")
	if err != nil {
		return "", 0, err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(body, f.opt.MaxBytes+1))
	if err != nil {
		return "", 0, err
	}
	if n > f.opt.MaxBytes {
		return "", 0, ErrTooLarge
	}
	// Readable by all like any downloaded file: the export may hard-link it
	// into a site that a web server serves.
	if err = tmp.Chmod(0o644); err != nil {
		return "", 0, err
	}
	if err = tmp.Sync(); err != nil {
		return "", 0, err
	}
	if err = tmp.Close(); err != nil {
		return "", 0, err
	}
	if err = os.Rename(tmp.Name(), data); err != nil {
		return "", 0, err
	}
	m.Size = n
	m.SHA256 = hex.EncodeToString(h.Sum(nil))
	m.Fetched = time.Now().UTC().Format(time.RFC3339)
	b, _ := json.MarshalIndent(m, "", "  ")
	if err = mediaWriteAtomic(dir, "tmp-"+key+"-*", meta, b); err != nil {
		return "", 0, err
	}
	return data, n, nil
}

func mediaWriteAtomic(dir, pattern, path string, b []byte) (err error) {
	tmp, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err = tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err = tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// mediaRemoveStale removes the temporary files of key that a killed run left
// (older than an hour, so never those of a download still going on).
func mediaRemoveStale(dir, key string) {
	old, _ := filepath.Glob(filepath.Join(dir, "tmp-"+key+"-*"))
	for _, p := range old {
		if st, err := os.Stat(p); err == nil && time.Since(st.ModTime()) > time.Hour {
			os.Remove(p)
		}
	}
}

// Names.

// assignNames names the URLs of order that have no name yet, except
// those whose extension waits for their content type. Under f.mu.
func (f *Fetcher) assignNames(order []string) {
	type cand struct {
		c, stem, ext string
		hashed       bool
	}
	var plain, hashed []cand
	groups := map[string]int{}
	for _, c := range order {
		if _, ok := f.named[c]; ok {
			continue
		}
		stem, ext, force := mediaNameParts(c)
		if ext == "" {
			continue // named by nameLater, with the extension of its content type
		}
		cd := cand{c: c, stem: stem, ext: ext, hashed: force}
		if force {
			hashed = append(hashed, cd)
		} else {
			plain = append(plain, cd)
			groups[mediaFold(stem+ext)]++
		}
	}
	// Plain names first, so a hashed name never takes a plain one's place
	// and the result does not depend on the order within one call.
	for _, cd := range plain {
		n := cd.stem + cd.ext
		k := mediaFold(n)
		if owner, taken := f.names[k]; groups[k] == 1 && (!taken || owner == cd.c) {
			f.names[k] = cd.c
			f.named[cd.c] = n
			continue
		}
		hashed = append(hashed, cd)
	}
	for _, cd := range hashed {
		f.named[cd.c] = f.hashedName(cd.c, cd.stem, cd.ext)
	}
}

// nameLater names c once its content type is known. Under f.mu.
func (f *Fetcher) nameLater(c, contentType string) {
	stem, ext, _ := mediaNameParts(c)
	if ext == "" {
		ext = mediaExtByType(contentType)
	}
	f.named[c] = f.hashedName(c, stem, ext)
}

// hashedName returns stem-<hash of c>ext, with a longer hash in the
// unlikely case that the short one is taken. Under f.mu.
func (f *Fetcher) hashedName(c, stem, ext string) string {
	sum := sha256.Sum256([]byte(c))
	h := hex.EncodeToString(sum[:])
	for _, l := range []int{8, 16, 64} {
		s := mediaTrunc(stem, maxMediaName-len(ext)-l-1)
		s = strings.TrimRight(s, ". -~")
		if s == "" {
			s = "file"
		}
		n := s + "-" + h[:l] + ext
		k := mediaFold(n)
		if owner, taken := f.names[k]; !taken || owner == c {
			f.names[k] = c
			return n
		}
	}
	panic("export: sha256 collision") // unreachable
}

// mediaFold returns the key under which two names are the same file on a
// case-insensitive, normalisation-insensitive file system.
func mediaFold(n string) string {
	return strings.ToLower(norm.NFC.String(n))
}

// mediaExt lists the extensions of the files MediaURLs lists and Names
// keep: images, audio, video, documents and archives a WordPress site
// lets authors upload. Others (.php, .html, …) are never kept in a name,
// so a downloaded file cannot become a script or a page of the site.
var mediaExt = map[string]bool{}

func init() {
	for _, e := range strings.Fields(`
		jpg jpeg jpe png gif webp avif svg bmp tif tiff ico heic heif jxl
		mp3 m4a m4b ogg oga opus wav flac aac wma mid midi
		mp4 m4v mov webm ogv avi wmv mkv flv 3gp 3g2 mpg mpeg
		vtt srt
		pdf doc docx docm dot dotx xls xlsx xlsm ppt pptx pps ppsx odt ods odp odg rtf txt csv tsv epub mobi key numbers pages
		zip gz tgz bz2 xz 7z rar tar`) {
		mediaExt[e] = true
	}
}

// mediaExtByType maps the content types of media to an extension, for URLs
// whose path has none. A fixed table: the system's MIME database differs
// between machines and the names must not.
func mediaExtByType(ct string) string {
	ct, _, _ = strings.Cut(ct, ";")
	switch strings.ToLower(strings.TrimSpace(ct)) {
	case "image/jpeg", "image/jpg", "image/pjpeg":
		return ".jpg"
	case "image/png":
		return ".png"
	case "image/gif":
		return ".gif"
	case "image/webp":
		return ".webp"
	case "image/avif":
		return ".avif"
	case "image/svg+xml":
		return ".svg"
	case "image/bmp":
		return ".bmp"
	case "image/tiff":
		return ".tif"
	case "image/x-icon", "image/vnd.microsoft.icon":
		return ".ico"
	case "image/heic":
		return ".heic"
	case "audio/mpeg", "audio/mp3":
		return ".mp3"
	case "audio/mp4", "audio/x-m4a":
		return ".m4a"
	case "audio/ogg":
		return ".ogg"
	case "audio/wav", "audio/x-wav", "audio/wave":
		return ".wav"
	case "audio/flac":
		return ".flac"
	case "video/mp4":
		return ".mp4"
	case "video/webm":
		return ".webm"
	case "video/ogg":
		return ".ogv"
	case "video/quicktime":
		return ".mov"
	case "application/pdf":
		return ".pdf"
	}
	return ""
}

// mediaPathExt returns the lower-case extension (without the dot) of the last
// segment of a URL path, "" if it has none.
func mediaPathExt(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		p = p[i+1:]
	}
	i := strings.LastIndexByte(p, '.')
	if i < 0 || i == len(p)-1 {
		return ""
	}
	return strings.ToLower(p[i+1:])
}

// mediaNameParts returns the safe stem and extension (".jpg", or "" when the
// URL's extension is not a media one) of the file name of canonical URL
// c, and whether the name must carry the URL's hash (it was cut to fit,
// or says nothing: no usable last segment, or a query string that makes
// it another file than the bare path).
func mediaNameParts(c string) (stem, ext string, force bool) {
	u, err := url.Parse(c)
	if err != nil {
		return "file", "", true
	}
	segs := strings.Split(u.EscapedPath(), "/")
	last := ""
	for i := len(segs) - 1; i >= 0 && last == ""; i-- {
		last = segs[i]
	}
	if s, err := url.PathUnescape(last); err == nil {
		last = s
	}
	if !utf8.ValidString(last) {
		// Old uploads with Latin-1 names percent-encoded byte by byte.
		if s, err := charmap.Windows1252.NewDecoder().String(last); err == nil {
			last = s
		}
	}
	last = norm.NFC.String(last)
	if i := strings.LastIndexByte(last, '.'); i > 0 && mediaExt[strings.ToLower(last[i+1:])] {
		stem, ext = last[:i], "."+strings.ToLower(last[i+1:])
		if l := len(stem) - 4; l > 0 && strings.EqualFold(stem[l:], ".tar") {
			stem, ext = stem[:l], ".tar"+ext
		}
	} else {
		stem = last
	}
	stem = mediaStem(stem)
	if stem == "" {
		stem, force = "file", true
		if last == "" {
			stem = mediaStem(u.Hostname())
		}
	}
	if len(stem)+len(ext) > maxMediaName {
		force = true
	}
	if u.RawQuery != "" {
		force = true
	}
	return stem, ext, force
}

// mediaStem returns s as the stem of a file name valid on Linux, macOS and
// Windows and harmless in a URL path, Markdown and HTML: letters, marks
// and digits of any script kept (Chinese names stay Chinese), "-_~+@="
// kept, every other rune (controls, separators, <>:"/\|?*, #, %, spaces,
// punctuation, and dots: a web server may run "x.php.jpg" as PHP) a "-",
// runs of "-" as one; no leading "_", "-" or "~" (Jekyll leaves such files
// out of the site), no trailing "-" or "~", and not a name Windows
// reserves (CON, COM1, …).
func mediaStem(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		ok := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsNumber(r) || unicode.IsMark(r) || strings.ContainsRune("-_~+@=", r)
		if r == utf8.RuneError {
			ok = false
		}
		if !ok || r == '-' {
			if !dash {
				b.WriteByte('-')
			}
			dash = true
			continue
		}
		dash = false
		b.WriteRune(r)
	}
	out := strings.TrimLeft(b.String(), "_-~")
	out = strings.TrimRight(out, "-~")
	if mediaReserved(out) {
		out += "_"
	}
	return out
}

// mediaReserved reports whether Windows reserves the name s (whatever
// follows its first dot).
func mediaReserved(s string) bool {
	base, _, _ := strings.Cut(s, ".")
	switch strings.ToUpper(strings.TrimRight(base, " ")) {
	case "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$":
		return true
	}
	u := strings.ToUpper(base)
	if len(u) >= 4 && (strings.HasPrefix(u, "COM") || strings.HasPrefix(u, "LPT")) {
		d := strings.TrimPrefix(strings.TrimPrefix(u, "COM"), "LPT")
		return d == "0" || d == "1" || d == "2" || d == "3" || d == "4" || d == "5" || d == "6" || d == "7" || d == "8" || d == "9" || d == "¹" || d == "²" || d == "³"
	}
	return false
}

// mediaTrunc returns the longest prefix of s of at most n bytes that ends
// on a rune boundary.
func mediaTrunc(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// Finding the URLs of a post's Markdown.

// mediaCtx is the syntax a URL occurs in, which decides how a replacement
// is written.
type mediaCtx uint8

const (
	ctxDest          mediaCtx = iota // Markdown link or image destination: ](url
	ctxDestAngle                     // the same in angle brackets: ](<url>
	ctxAutolink                      // <url>, the brackets included in the span
	ctxAttr                          // HTML attribute value in quotes
	ctxAttrBare                      // HTML attribute value without quotes
	ctxSrcset                        // one URL of a srcset attribute
	ctxShortcode                     // Hugo shortcode parameter in "…"
	ctxShortcodeBare                 // Hugo shortcode parameter in `…` or bare
	ctxYAML                          // a front matter scalar, quotes included in the span
)

// mediaRef is one URL found in a post's Markdown.
type mediaRef struct {
	start, end int    // bytes of the Markdown that hold the URL as written; end < 0: cannot be rewritten
	url        string // decoded (Markdown escapes, HTML entities), trimmed
	media      bool   // an image, audio, video or attachment file: MediaURLs lists it
	ctx        mediaCtx
}

// MediaURLs lists the http(s) URLs of images, audio, video and links to
// attachment files in a post's Markdown (and the featured image), in
// order, once each.
//
// md is Markdown as markdown.Convert writes it, optionally after a YAML
// front matter block, whose image, images, featured_image and thumbnail
// fields give the featured image. Found are the destinations of Markdown
// images and links, autolinks, the src and link of Hugo shortcodes
// ({{< figure >}}), and in raw HTML the src, srcset, poster, href and data
// attributes. Images, audio, video and posters are listed whatever their
// URL; links only when the URL's path ends in a media or document
// extension (.jpg, .mp3, .pdf, .zip, …). Code spans and code blocks are
// text, not links. The URLs are decoded (backslash escapes, HTML
// entities) but otherwise as written: protocol-relative ones (//host/x)
// stay so, and two forms of one URL (after canonicalisation as Fetch
// does it) are listed once, in the first form. The result is nil when
// there are none.
func MediaURLs(md string) []string {
	out, _ := mediaURLs(md)
	return out
}

// mediaURLs is MediaURLs, and the root-relative URLs (mediaRootRelative)
// of the media it finds, in order, once each, from one reading of md.
func mediaURLs(md string) (urls, rootRelative []string) {
	seen, seenRel := map[string]bool{}, map[string]bool{}
	for _, r := range findMediaRefs(md) {
		if !r.media {
			continue
		}
		if mediaRootRelative(r.url) {
			if !seenRel[r.url] {
				seenRel[r.url] = true
				rootRelative = append(rootRelative, r.url)
			}
			continue
		}
		if !mediaHTTPLike(r.url) {
			continue
		}
		k := r.url
		if c, err := mediaCanonical(k); err == nil {
			k = c
		}
		if seen[k] {
			continue
		}
		seen[k] = true
		urls = append(urls, r.url)
	}
	return urls, rootRelative
}

// RewriteMedia replaces each URL in md that is a key of local by its value.
//
// It replaces the URLs where MediaURLs finds them (and links to them
// whatever their extension), as they are written there: a Markdown
// destination, an HTML attribute with its &amp; entities, one candidate
// of a srcset, a shortcode parameter, a front matter value. A key matches
// the URL as MediaURLs gives it or any form of it with the same canonical
// URL. The value is written in the syntax of each place (percent-encoded
// where Markdown or srcset would break on it, HTML-escaped in
// attributes). Text that merely contains a URL (paragraph text, link
// text, code spans, code blocks) is left alone, and so is the rest of md,
// byte for byte.
func RewriteMedia(md string, local map[string]string) string {
	if len(local) == 0 {
		return md
	}
	canon := make(map[string]string, len(local))
	for k, v := range local {
		if c, err := mediaCanonical(k); err == nil {
			canon[c] = v
		}
	}
	var b strings.Builder
	last := 0
	for _, r := range findMediaRefs(md) {
		if r.end < 0 || r.start < last {
			continue
		}
		v, ok := local[r.url]
		if !ok {
			if c, err := mediaCanonical(r.url); err == nil {
				v, ok = canon[c]
			}
		}
		if !ok || v == "" {
			continue
		}
		b.WriteString(md[last:r.start])
		b.WriteString(mediaEncodeRef(r, md[r.start:r.end], v))
		last = r.end
	}
	if last == 0 {
		return md
	}
	b.WriteString(md[last:])
	return b.String()
}

// mediaRootRelative reports whether u is a root-relative URL: /path, not
// //host/path (nor /\host, which browsers read as that).
func mediaRootRelative(u string) bool {
	return len(u) > 1 && u[0] == '/' && u[1] != '/' && u[1] != '\\'
}

// mediaHTTPLike reports whether u is an http, https or protocol-relative URL.
func mediaHTTPLike(u string) bool {
	l := strings.ToLower(u)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") ||
		(strings.HasPrefix(l, "//") && len(l) > 2 && l[2] != '/')
}

// mediaURL reports whether the path of u ends in a media extension.
func mediaURL(u string) bool {
	p := u
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	if pu, err := url.PathUnescape(p); err == nil {
		p = pu
	}
	return mediaExt[mediaPathExt(p)]
}

// mediaEncodeRef writes v in the syntax of r; orig is what r's span held.
func mediaEncodeRef(r mediaRef, orig, v string) string {
	switch r.ctx {
	case ctxDest:
		return mediaPctEncode(v, " \t\n\r()<>\\")
	case ctxDestAngle:
		return mediaPctEncode(v, "\n\r<>\\")
	case ctxAutolink:
		if mediaHTTPLike(v) && !strings.ContainsAny(v, " \t\n\r<>") {
			return "<" + v + ">"
		}
		// A relative URL is no autolink: a link showing the old text.
		return "[" + mediaEscapeText(orig[1:len(orig)-1]) + "](" + mediaPctEncode(v, " \t\n\r()<>\\") + ")"
	case ctxAttr:
		return mediaEscapeAttr(v)
	case ctxAttrBare:
		if v == "" || strings.ContainsAny(v, " \t\n\r\f\"'=<>`") {
			return `"` + mediaEscapeAttr(v) + `"`
		}
		return mediaEscapeAttr(v)
	case ctxSrcset:
		return mediaEscapeAttr(mediaPctEncode(v, " \t\n\r\f,"))
	case ctxShortcode:
		return mediaPctEncode(v, "\"\\\n\r")
	case ctxShortcodeBare:
		return mediaPctEncode(v, " \t\n\r\"'`\\>")
	case ctxYAML:
		return "'" + strings.ReplaceAll(strings.ReplaceAll(v, "\n", " "), "'", "''") + "'"
	}
	return v
}

// mediaPctEncode percent-encodes the bytes of s found in set, and control bytes.
func mediaPctEncode(s, set string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f || strings.IndexByte(set, c) >= 0 {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func mediaEscapeAttr(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

func mediaEscapeText(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_[]<>()#!|", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// mediaMDParser is the parser that tells code, raw HTML, links and images apart
// in findMediaRefs: goldmark with the extensions Hugo enables (linkify
// aside: a bare URL is text).
var mediaMDParser = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Footnote)).Parser()

// findMediaRefs returns the URLs of md in order, without overlaps.
//
// goldmark decides what is what: code (never looked into), raw HTML
// (tokenised with golang.org/x/net/html, attribute values located in the
// tag's bytes), and the destinations of links, images and autolinks. Their
// places in md are found by scanning the text outside code and HTML for
// "](" and "<", parsing the destination as goldmark does, and keeping
// only destinations goldmark reported; Hugo shortcodes, which goldmark
// reads as text, are parsed outside code.
func findMediaRefs(md string) []mediaRef {
	if !strings.Contains(md, "//") {
		return nil // no http(s) URL can be there: most posts
	}
	var refs []mediaRef
	off := 0
	if end, ok := mediaFrontMatterEnd(md); ok {
		refs = mediaFrontMatterRefs(md[:end])
		off = end
	}
	refs = append(refs, mediaBodyRefs([]byte(md[off:]), off)...)
	sort.SliceStable(refs, func(i, j int) bool { return refs[i].start < refs[j].start })
	out := refs[:0]
	last := -1
	for _, r := range refs {
		if r.end >= 0 {
			if r.start < last {
				continue // inside a span already found (a shortcode's caption holding HTML)
			}
			last = r.end
		}
		out = append(out, r)
	}
	return out
}

const (
	mediaMaskCode = 1
	mediaMaskHTML = 2
)

func mediaBodyRefs(src []byte, off int) []mediaRef {
	doc := mediaMDParser.Parse(text.NewReader(src))
	mask := make([]byte, len(src))
	markSeg := func(s text.Segment, m byte) {
		for i := max(s.Start, 0); i < s.Stop && i < len(mask); i++ {
			mask[i] = m
		}
	}
	var chunks [][]text.Segment
	dests := map[string]bool{}
	images := map[string]bool{}
	autolinks := map[string]bool{}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.FencedCodeBlock:
			if n.Info != nil {
				markSeg(n.Info.Segment, mediaMaskCode)
			}
			for i := range n.Lines().Len() {
				markSeg(n.Lines().At(i), mediaMaskCode)
			}
			return ast.WalkSkipChildren, nil
		case *ast.CodeBlock:
			for i := range n.Lines().Len() {
				markSeg(n.Lines().At(i), mediaMaskCode)
			}
			return ast.WalkSkipChildren, nil
		case *ast.CodeSpan:
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				if t, ok := c.(*ast.Text); ok {
					markSeg(t.Segment, mediaMaskCode)
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.HTMLBlock:
			segs := n.Lines().Sliced(0, n.Lines().Len())
			if n.HasClosure() {
				segs = append(segs, n.ClosureLine)
			}
			for _, s := range segs {
				markSeg(s, mediaMaskHTML)
			}
			chunks = append(chunks, segs)
		case *ast.RawHTML:
			segs := n.Segments.Sliced(0, n.Segments.Len())
			for _, s := range segs {
				markSeg(s, mediaMaskHTML)
			}
			chunks = append(chunks, segs)
		case *ast.Image:
			dests[string(n.Destination)] = true
			images[string(n.Destination)] = true
		case *ast.Link:
			dests[string(n.Destination)] = true
		case *ast.AutoLink:
			if n.AutoLinkType == ast.AutoLinkURL {
				autolinks[string(n.URL(src))] = true
			}
		}
		return ast.WalkContinue, nil
	})

	var refs []mediaRef
	for _, segs := range chunks {
		refs = append(refs, mediaHTMLRefs(src, off, segs)...)
	}
	// Jekyll: the converter wraps a body holding "{{" in {% raw %}, and
	// "{{<" there is text, not a shortcode.
	shortcodes := !bytes.HasPrefix(bytes.TrimLeft(src, " \t\r\n"), []byte("{% raw %}"))
	for i := 0; i < len(src); i++ {
		if mask[i] == mediaMaskCode {
			continue
		}
		switch c := src[i]; {
		case c == ']' && mask[i] == 0 && i+1 < len(src) && src[i+1] == '(' && !mediaBackslashed(src, i):
			if r, ok := mediaDestRef(src, i+2, mask, dests); ok {
				r.start += off
				r.end += off
				r.media = images[string(src[r.start-off:r.end-off])] || mediaURL(r.url)
				refs = append(refs, r)
			}
		case c == '<' && mask[i] == 0 && len(autolinks) > 0:
			j := i + 1
			for j < len(src) && src[j] != '>' && src[j] != '<' && src[j] > ' ' {
				j++
			}
			if j < len(src) && src[j] == '>' && autolinks[string(src[i+1:j])] {
				u := string(src[i+1 : j])
				refs = append(refs, mediaRef{start: off + i, end: off + j + 1, url: u, media: mediaURL(u), ctx: ctxAutolink})
				i = j
			}
		case c == '{' && shortcodes && bytes.HasPrefix(src[i:], []byte("{{<")):
			// Scanning goes on inside: a caption holds Markdown links.
			rs, _ := mediaShortcodeRefs(src, i, mask)
			for _, r := range rs {
				r.start += off
				r.end += off
				refs = append(refs, r)
			}
		}
	}
	return refs
}

// mediaBackslashed reports whether src[i] is escaped by a backslash.
func mediaBackslashed(src []byte, i int) bool {
	n := 0
	for i--; i >= 0 && src[i] == '\\'; i-- {
		n++
	}
	return n%2 == 1
}

func mediaMDSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

func mediaMDPunct(c byte) bool {
	return c < 0x80 && unicode.IsPunct(rune(c)) || c < 0x80 && unicode.IsSymbol(rune(c))
}

// mediaDestRef parses a link destination at src[p:] the way goldmark does and
// returns it if goldmark reported it as a destination.
func mediaDestRef(src []byte, p int, mask []byte, dests map[string]bool) (mediaRef, bool) {
	for p < len(src) && (src[p] == ' ' || src[p] == '\t') {
		p++
	}
	if p >= len(src) {
		return mediaRef{}, false
	}
	lineEnd := bytes.IndexByte(src[p:], '\n')
	if lineEnd < 0 {
		lineEnd = len(src)
	} else {
		lineEnd += p
	}
	var start, end int
	ctx := ctxDest
	if src[p] == '<' {
		i := p + 1
		for i < lineEnd {
			if src[i] == '\\' && i+1 < lineEnd && mediaMDPunct(src[i+1]) {
				i += 2
				continue
			}
			if src[i] == '>' {
				break
			}
			i++
		}
		if i >= lineEnd {
			return mediaRef{}, false
		}
		start, end, ctx = p+1, i, ctxDestAngle
	} else {
		opened, i := 0, p
		for i < lineEnd {
			c := src[i]
			if c == '\\' && i+1 < lineEnd && mediaMDPunct(src[i+1]) {
				i += 2
				continue
			}
			if c == '(' {
				opened++
			} else if c == ')' {
				opened--
				if opened < 0 {
					break
				}
			} else if mediaMDSpace(c) {
				break
			}
			i++
		}
		start, end = p, i
	}
	if end <= start || !dests[string(src[start:end])] {
		return mediaRef{}, false
	}
	for k := start; k < end; k++ {
		if mask[k] != 0 {
			return mediaRef{}, false
		}
	}
	return mediaRef{start: start, end: end, url: strings.TrimSpace(mediaMDUnescape(string(src[start:end]))), ctx: ctx}, true
}

// mediaMDUnescape resolves the backslash escapes and entity references of a
// Markdown link destination.
func mediaMDUnescape(s string) string {
	if !strings.ContainsAny(s, `\&`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) && mediaMDPunct(s[i+1]) {
			b.WriteByte(s[i+1])
			i++
			continue
		}
		if c == '&' {
			if j := strings.IndexByte(s[i:], ';'); j > 1 && j < 40 {
				ent := s[i : i+j+1]
				if u := html.UnescapeString(ent); u != ent {
					b.WriteString(u)
					i += j
					continue
				}
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

// mediaShortcodeRefs parses the Hugo shortcode at src[i:] ("{{<") and returns
// the URLs among its parameters and the end of the shortcode. A shortcode
// in Hugo's comment form ({{</* … */>}}) is text.
func mediaShortcodeRefs(src []byte, i int, mask []byte) ([]mediaRef, int) {
	if bytes.HasPrefix(src[i:], []byte("{{</*")) {
		if e := bytes.Index(src[i:], []byte("*/>}}")); e >= 0 {
			return nil, i + e + 5
		}
		return nil, i + 5
	}
	p := i + 3
	skip := func() {
		for p < len(src) && mediaMDSpace(src[p]) {
			p++
		}
	}
	skip()
	ns := p
	for p < len(src) && !mediaMDSpace(src[p]) && src[p] != '>' {
		p++
	}
	name := strings.ToLower(string(src[ns:p]))
	var refs []mediaRef
	for {
		skip()
		if p >= len(src) || mask[p] == mediaMaskCode {
			return refs, p
		}
		if bytes.HasPrefix(src[p:], []byte(">}}")) {
			return refs, p + 3
		}
		key := ""
		ks := p
		for p < len(src) && (src[p] == '_' || src[p] == '-' || unicode.IsLetter(rune(src[p])) || unicode.IsDigit(rune(src[p]))) {
			p++
		}
		if p < len(src) && src[p] == '=' && p > ks {
			key = strings.ToLower(string(src[ks:p]))
			p++
		} else {
			p = ks
		}
		var vs, ve int
		ctx := ctxShortcodeBare
		var val string
		switch {
		case p < len(src) && src[p] == '"':
			vs = p + 1
			p++
			for p < len(src) && src[p] != '"' && src[p] != '\n' {
				if src[p] == '\\' && p+1 < len(src) {
					p++
				}
				p++
			}
			if p >= len(src) || src[p] != '"' {
				return refs, p
			}
			ve = p
			p++
			ctx = ctxShortcode
			val = strings.ReplaceAll(string(src[vs:ve]), `\"`, `"`)
		case p < len(src) && src[p] == '`':
			vs = p + 1
			e := bytes.IndexByte(src[vs:], '`')
			if e < 0 {
				return refs, p
			}
			ve = vs + e
			p = ve + 1
			val = string(src[vs:ve])
		default:
			vs = p
			for p < len(src) && !mediaMDSpace(src[p]) && !bytes.HasPrefix(src[p:], []byte(">}}")) {
				p++
			}
			ve = p
			if ve == vs {
				return refs, p // not a shortcode after all
			}
			val = string(src[vs:ve])
		}
		val = strings.TrimSpace(val)
		if !mediaHTTPLike(val) && !mediaRootRelative(val) {
			continue
		}
		media := mediaURL(val)
		switch key {
		case "src", "poster", "image", "thumbnail":
			media = media || name == "figure" || name == "img" || name == "image" || key == "poster"
		}
		refs = append(refs, mediaRef{start: vs, end: ve, url: val, media: media, ctx: ctx})
	}
}

// mediaAttr is one attribute of a tag as written: its value's bytes.
type mediaAttr struct {
	name       string
	start, end int // value, inside the quotes; start < 0: no value
	quoted     bool
}

// mediaHTMLRefs returns the URLs in the attributes of the tags of a raw HTML
// chunk, the text of segs in src.
func mediaHTMLRefs(src []byte, off int, segs []text.Segment) []mediaRef {
	var buf []byte
	starts := make([]int, len(segs))
	for k, s := range segs {
		starts[k] = len(buf)
		buf = append(buf, src[s.Start:s.Stop]...)
	}
	// toSrc maps a span of buf to md, if it lies in one segment.
	toSrc := func(a, b int) (int, int, bool) {
		for k := len(segs) - 1; k >= 0; k-- {
			if a >= starts[k] {
				if b-starts[k] > segs[k].Stop-segs[k].Start {
					return 0, 0, false
				}
				return off + segs[k].Start + a - starts[k], off + segs[k].Start + b - starts[k], true
			}
		}
		return 0, 0, false
	}
	var refs []mediaRef
	z := html.NewTokenizer(bytes.NewReader(buf))
	pos := 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		raw := z.Raw()
		tagStart := pos
		pos += len(raw)
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tagName, _ := z.TagName()
		tag := string(tagName)
		for _, a := range mediaScanAttrs(raw) {
			if a.start < 0 {
				continue
			}
			value := string(raw[a.start:a.end])
			add := func(vs, ve int, u string, media bool, ctx mediaCtx) {
				u = strings.TrimSpace(html.UnescapeString(u))
				if u == "" {
					return
				}
				s, e, ok := toSrc(tagStart+vs, tagStart+ve)
				if !ok {
					// Split over lines of a container: listed, not rewritten.
					s, _, _ = toSrc(tagStart, tagStart)
					e = -1
				}
				refs = append(refs, mediaRef{start: s, end: e, url: u, media: media || mediaURL(u), ctx: ctx})
			}
			ctx := ctxAttr
			if !a.quoted {
				ctx = ctxAttrBare
			}
			switch a.name {
			case "src":
				vs, ve := mediaTrimSpan(raw, a.start, a.end)
				add(vs, ve, value, tag == "img" || tag == "audio" || tag == "video" || tag == "source" || tag == "track", ctx)
			case "poster":
				vs, ve := mediaTrimSpan(raw, a.start, a.end)
				add(vs, ve, value, true, ctx)
			case "href", "data":
				vs, ve := mediaTrimSpan(raw, a.start, a.end)
				add(vs, ve, value, false, ctx)
			case "srcset":
				for _, c := range mediaSrcset(raw, a.start, a.end) {
					add(c[0], c[1], string(raw[c[0]:c[1]]), true, ctxSrcset)
				}
			}
		}
	}
	return refs
}

// mediaTrimSpan returns [a, b) without the HTML spaces at its ends.
func mediaTrimSpan(raw []byte, a, b int) (int, int) {
	for a < b && mediaHTMLSpace(raw[a]) {
		a++
	}
	for b > a && mediaHTMLSpace(raw[b-1]) {
		b--
	}
	return a, b
}

func mediaHTMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// mediaScanAttrs returns the attributes of a start tag's raw bytes, as the
// HTML tokenizer reads them, with where each value lies in raw.
func mediaScanAttrs(raw []byte) []mediaAttr {
	n := len(raw)
	i := 1
	for i < n && !mediaHTMLSpace(raw[i]) && raw[i] != '/' && raw[i] != '>' {
		i++
	}
	var out []mediaAttr
	for {
		for i < n && (mediaHTMLSpace(raw[i]) || raw[i] == '/') {
			i++
		}
		if i >= n || raw[i] == '>' {
			return out
		}
		ns := i
		i++ // a first "=" belongs to the name
		for i < n && !mediaHTMLSpace(raw[i]) && raw[i] != '/' && raw[i] != '>' && raw[i] != '=' {
			i++
		}
		a := mediaAttr{name: strings.ToLower(string(raw[ns:i])), start: -1}
		j := i
		for j < n && mediaHTMLSpace(raw[j]) {
			j++
		}
		if j < n && raw[j] == '=' {
			j++
			for j < n && mediaHTMLSpace(raw[j]) {
				j++
			}
			if j < n && (raw[j] == '"' || raw[j] == '\'') {
				q := raw[j]
				e := bytes.IndexByte(raw[j+1:], q)
				if e < 0 {
					return out
				}
				a.start, a.end, a.quoted = j+1, j+1+e, true
				j = j + 1 + e + 1
			} else {
				s := j
				for j < n && !mediaHTMLSpace(raw[j]) && raw[j] != '>' {
					j++
				}
				a.start, a.end = s, j
			}
			i = j
		}
		out = append(out, a)
	}
}

// mediaSrcset returns the spans of the URLs of a srcset value raw[a:b]
// (comma-separated candidates, each a URL and optional descriptors).
func mediaSrcset(raw []byte, a, b int) [][2]int {
	var out [][2]int
	i := a
	for i < b {
		for i < b && (mediaHTMLSpace(raw[i]) || raw[i] == ',') {
			i++
		}
		s := i
		for i < b && !mediaHTMLSpace(raw[i]) {
			i++
		}
		e := i
		for e > s && raw[e-1] == ',' {
			e--
		}
		if e > s {
			out = append(out, [2]int{s, e})
		}
		if e < i {
			continue // the URL ended with its comma: no descriptors
		}
		depth := 0
		for i < b && (raw[i] != ',' || depth > 0) {
			switch raw[i] {
			case '(':
				depth++
			case ')':
				depth--
			}
			i++
		}
	}
	return out
}

// mediaFrontMatterEnd returns the end of a YAML front matter block at the start
// of md (after its closing line).
func mediaFrontMatterEnd(md string) (int, bool) {
	if !strings.HasPrefix(md, "---\n") && !strings.HasPrefix(md, "---\r\n") {
		return 0, false
	}
	i := strings.IndexByte(md, '\n') + 1
	for i < len(md) {
		j := strings.IndexByte(md[i:], '\n')
		line := md[i:]
		next := len(md)
		if j >= 0 {
			line, next = md[i:i+j], i+j+1
		}
		line = strings.TrimRight(line, " \t\r")
		if line == "---" || line == "..." {
			return next, true
		}
		i = next
	}
	return 0, false
}

// mediaFrontMatterKeys are the front matter fields that hold a featured image.
var mediaFrontMatterKeys = map[string]bool{"image": true, "images": true, "featured_image": true, "thumbnail": true}

// mediaFrontMatterRefs returns the featured image URLs of a front matter block
// fm ("---\n" … "---\n").
func mediaFrontMatterRefs(fm string) []mediaRef {
	if !strings.Contains(fm, "//") {
		return nil
	}
	start := strings.IndexByte(fm, '\n') + 1
	var doc yaml.Node
	if yaml.Unmarshal([]byte(fm[start:]), &doc) != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil
	}
	// lineStarts[k] is the offset in fm of line k+1 of the YAML.
	var lineStarts []int
	for p := start; p < len(fm); {
		lineStarts = append(lineStarts, p)
		j := strings.IndexByte(fm[p:], '\n')
		if j < 0 {
			break
		}
		p += j + 1
	}
	var refs []mediaRef
	scalar := func(n *yaml.Node) {
		if n.Kind != yaml.ScalarNode || !mediaHTTPLike(strings.TrimSpace(n.Value)) || n.Line < 1 || n.Line > len(lineStarts) {
			return
		}
		ls := lineStarts[n.Line-1]
		le := strings.IndexByte(fm[ls:], '\n')
		if le < 0 {
			le = len(fm) - ls
		}
		line := fm[ls : ls+le]
		// yaml.v3 counts columns in runes.
		col := 0
		for k := range line {
			if col == n.Column-1 {
				col = -k - 1
				break
			}
			col++
		}
		r := mediaRef{start: ls, end: -1, url: strings.TrimSpace(n.Value), media: true, ctx: ctxYAML}
		if col < 0 {
			s := -col - 1
			if e := mediaYAMLTokenEnd(line, s); e > s {
				var v string
				if yaml.Unmarshal([]byte(line[s:e]), &v) == nil && v == n.Value {
					r.start, r.end = ls+s, ls+e
				}
			}
		}
		refs = append(refs, r)
	}
	m := doc.Content[0]
	for k := 0; k+1 < len(m.Content); k += 2 {
		if !mediaFrontMatterKeys[m.Content[k].Value] {
			continue
		}
		v := m.Content[k+1]
		switch v.Kind {
		case yaml.ScalarNode:
			scalar(v)
		case yaml.SequenceNode:
			for _, e := range v.Content {
				scalar(e)
			}
		}
	}
	return refs
}

// mediaYAMLTokenEnd returns the end of the one-line YAML scalar starting at
// line[s:].
func mediaYAMLTokenEnd(line string, s int) int {
	switch line[s] {
	case '"':
		for i := s + 1; i < len(line); i++ {
			if line[i] == '\\' {
				i++
				continue
			}
			if line[i] == '"' {
				return i + 1
			}
		}
		return -1
	case '\'':
		for i := s + 1; i < len(line); i++ {
			if line[i] == '\'' {
				if i+1 < len(line) && line[i+1] == '\'' {
					i++
					continue
				}
				return i + 1
			}
		}
		return -1
	}
	e := len(line)
	if k := strings.Index(line[s:], " #"); k >= 0 {
		e = s + k
	}
	if k := strings.IndexAny(line[s:e], ",]}"); k >= 0 && s > 0 && strings.ContainsAny(line[:s], "[{") {
		e = s + k // inside a flow sequence
	}
	return s + len(strings.TrimRight(line[s:e], " \t\r"))
}
