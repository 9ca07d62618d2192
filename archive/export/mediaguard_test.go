package export

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"
)

func TestMediaAddrKind(t *testing.T) {
	for _, c := range []struct{ addr, want string }{
		{"127.0.0.1", "loopback"},
		{"127.8.9.10", "loopback"},
		{"::1", "loopback"},
		{"::ffff:127.0.0.1", "loopback"}, // IPv4 written as IPv6
		{"64:ff9b::7f00:1", "loopback"},  // NAT64 of 127.0.0.1
		{"10.1.2.3", "private"},
		{"172.16.0.1", "private"},
		{"172.31.255.254", "private"},
		{"192.168.1.1", "private"},
		{"fd12:3456::1", "private"},
		{"169.254.169.254", "link-local"}, // cloud metadata
		{"fe80::1", "link-local"},
		{"0.0.0.0", "unspecified"},
		{"::", "unspecified"},
		{"224.0.0.1", "multicast"},
		{"ff02::1", "multicast"},
		{"255.255.255.255", "broadcast"},
		{"0.1.2.3", "this-network"},
		{"100.64.0.1", "shared (carrier-grade NAT)"},
		{"198.18.0.1", "benchmarking"},
		{"240.0.0.1", "reserved"},
		{"fec0::1", "site-local"},
		{"93.184.216.34", ""},
		{"172.32.0.1", ""}, // just past 172.16/12
		{"64:ff9b::5db8:d822", ""},
		{"2606:4700::6810:84e5", ""},
	} {
		if got := mediaAddrKind(netip.MustParseAddr(c.addr)); got != c.want {
			t.Errorf("mediaAddrKind(%s) = %q, want %q", c.addr, got, c.want)
		}
	}
}

// TestFetchRefusesLoopback: by default a loopback URL is not requested,
// whether the URL names the IP or a name that resolves to it, and the
// result says why and what flag allows it; with AllowPrivate the same
// URL is fetched.
func TestFetchRefusesLoopback(t *testing.T) {
	s := newMediaServer(t, nil)
	u, _ := url.Parse(s.URL)
	byName := "http://localhost:" + u.Port() + "/by-name.jpg"
	urls := []string{s.URL + "/by-ip.jpg", byName}
	f, err := NewFetcher(MediaOptions{CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	res := f.Fetch(context.Background(), urls)
	for _, u := range urls {
		r := res[u]
		if r.Err == nil || r.Path != "" {
			t.Fatalf("%s: fetched without AllowPrivate: %+v", u, r)
		}
		if !errors.Is(r.Err, ErrPrivateAddress) {
			t.Errorf("%s: error %v is not ErrPrivateAddress", u, r.Err)
		}
		var ae *AddressError
		if !errors.As(r.Err, &ae) || !ae.Addr.IsLoopback() || ae.Kind != "loopback" {
			t.Errorf("%s: error %v carries no loopback AddressError", u, r.Err)
		}
		msg := r.Err.Error()
		for _, want := range []string{"download " + u, "is a loopback address", "--media-allow-private"} {
			if !strings.Contains(msg, want) {
				t.Errorf("%s: message %q lacks %q", u, msg, want)
			}
		}
	}
	if n := s.total(); n != 0 {
		t.Errorf("the server got %d requests, want none", n)
	}

	f = newMediaFetcher(t, MediaOptions{}) // AllowPrivate
	for _, u := range urls {
		if r := mediaFetchOne(t, f, u); r.Err != nil || r.Path == "" {
			t.Errorf("%s with AllowPrivate: %+v", u, r)
		}
	}
}

// TestFetchRefusesRedirectToLoopback: the check is on every connection,
// so a redirect from an allowed server to a loopback one is refused (the
// first server stands for a public one: the test's check lets its address
// through and no other).
func TestFetchRefusesRedirectToLoopback(t *testing.T) {
	inner := newMediaServer(t, nil)
	outer := newMediaServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		http.Redirect(w, r, inner.URL+"/secret.jpg", http.StatusFound)
	})
	public := strings.TrimPrefix(outer.URL, "http://")
	mediaAddrCheck = func(address string) error {
		if address == public {
			return nil
		}
		return mediaCheckAddr(address)
	}
	t.Cleanup(func() { mediaAddrCheck = mediaCheckAddr })
	f, err := NewFetcher(MediaOptions{CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	r := mediaFetchOne(t, f, outer.URL+"/moved.jpg")
	if !errors.Is(r.Err, ErrPrivateAddress) || !strings.Contains(r.Err.Error(), "is a loopback address") {
		t.Errorf("redirect to loopback: %+v", r)
	}
	if outer.count("/moved.jpg") != 1 || inner.total() != 0 {
		t.Errorf("requests: outer %d, inner %d; want 1 and 0", outer.count("/moved.jpg"), inner.total())
	}
}

// TestFetchProxyChecksHost: through a proxy (here a loopback one, which
// is let through) the URL's host is checked before the request, since the
// proxy connects to it: a private IP or a name resolving to loopback is
// refused and the proxy never asked; a public name goes to the proxy.
func TestFetchProxyChecksHost(t *testing.T) {
	proxy := newMediaServer(t, nil) // answers as the proxy, for any URL
	pu, _ := url.Parse(proxy.URL)
	dialer := &net.Dialer{}
	tr := guardTransport(&http.Transport{Proxy: func(*http.Request) (*url.URL, error) { return pu, nil }}, dialer)
	f, err := NewFetcher(MediaOptions{CacheDir: t.TempDir(), Client: &http.Client{Transport: tr}})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"http://10.0.0.7/a.jpg", "http://localhost/b.jpg", "http://[::1]/c.jpg"} {
		if r := mediaFetchOne(t, f, u); !errors.Is(r.Err, ErrPrivateAddress) {
			t.Errorf("%s through the proxy: %+v, want ErrPrivateAddress", u, r)
		}
	}
	if n := proxy.total(); n != 0 {
		t.Errorf("the proxy got %d requests, want none", n)
	}
	if r := mediaFetchOne(t, f, "http://93.184.216.34/d.jpg"); r.Err != nil {
		t.Errorf("public address through the loopback proxy: %v", r.Err)
	}
	if n := proxy.count("/d.jpg"); n != 1 {
		t.Errorf("the proxy got %d requests for the public URL, want 1", n)
	}
}
