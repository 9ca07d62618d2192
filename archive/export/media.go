package export

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

// MediaOptions controls a Fetcher. Zero fields take their defaults.
type MediaOptions struct {
	CacheDir string       // cross-run cache; default os.UserCacheDir()/wparchive/media
	Client   *http.Client // nil: a client with timeouts
	Workers  int          // parallel downloads, default 4
	Retries  int          // default 2, with backoff, for network errors and 5xx/429; <0: none
	MaxBytes int64        // per file, default 256 MiB

	ConnectTimeout time.Duration // dialing and TLS handshake; default 10s
	FileTimeout    time.Duration // one attempt at one file, headers to last byte; default 5m
	Backoff        time.Duration // first wait before a retry, doubled each time; default 500ms
	MaxWait        time.Duration // cap on one wait, Retry-After included; default 30s
}

// Fetcher downloads media files into a cache shared across runs. One
// Fetcher is one run: it downloads each URL once however often Fetch is
// called, and gives each URL one file name. It is safe for concurrent use.
type Fetcher struct {
	opt    MediaOptions
	client *http.Client
}

// MediaResult is what Fetch did with one URL.
type MediaResult struct {
	Path   string // file in the cache, "" on failure
	Name   string // a safe file name for the site (valid on Linux, macOS, Windows; unique per URL)
	Err    error
	Cached bool // served from the cache without a request

	ContentType string // as the server sent it (or the cache kept it)
	Size        int64  // bytes in Path
}

// ErrNotHTTP is the error of a URL that Fetch does not download because
// it is not an absolute http or https URL.
var ErrNotHTTP = errors.New("export: not an http or https URL")

// NewFetcher returns a Fetcher with opt's defaults filled in. The error
// comes from finding or creating the cache directory.
func NewFetcher(opt MediaOptions) (*Fetcher, error) {
	if opt.CacheDir == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			return nil, err
		}
		opt.CacheDir = filepath.Join(dir, "wparchive", "media")
	}
	if err := os.MkdirAll(opt.CacheDir, 0o755); err != nil {
		return nil, err
	}
	return &Fetcher{opt: opt, client: opt.Client}, nil
}

// Fetch downloads every URL (http/https only, each once, parallel,
// bounded, retried, cached by URL across runs) and returns a result for
// each distinct string in urls; it never returns an error for a failed
// download (that is in the result).
func (f *Fetcher) Fetch(ctx context.Context, urls []string) map[string]MediaResult {
	out := make(map[string]MediaResult, len(urls))
	for _, u := range urls {
		out[u] = MediaResult{Err: errors.New("export: media download not implemented yet")}
	}
	return out
}

// MediaURLs lists the http(s) URLs of images, audio, video and links to
// attachment files in a post's Markdown (and the featured image), in
// order, once each.
func MediaURLs(md string) []string { return nil }

// RewriteMedia replaces each URL in md that is a key of local by its value.
func RewriteMedia(md string, local map[string]string) string { return md }
