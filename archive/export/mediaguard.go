package export

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"sync"
	"syscall"
)

// ErrPrivateAddress: the media URL's host is (or resolves to, or a
// redirect led to) a loopback, private, link-local, unspecified,
// multicast or other non-public address, and MediaOptions.AllowPrivate
// is off. Nothing was requested from it. A caller finds the address with
// errors.As (*AddressError).
var ErrPrivateAddress = errors.New("export: refused to download from a non-public address")

// AddressError is the error of a connection the downloader refused:
// which address, and what kind of address it is.
type AddressError struct {
	Addr netip.Addr
	Kind string // "loopback", "private", "link-local", …
}

func (e *AddressError) Error() string {
	return fmt.Sprintf("%s is a %s address, not fetched: an export's media URLs may point anywhere, so wparchive fetches nothing from the local network unless given --media-allow-private", e.Addr, e.Kind)
}

// Unwrap makes errors.Is(err, ErrPrivateAddress) true.
func (e *AddressError) Unwrap() error { return ErrPrivateAddress }

// The special-purpose ranges (RFC 6890 and its updates) a public web
// server is never in, beyond those netip.Addr's methods name.
var mediaBlockedPrefixes = []struct {
	p    netip.Prefix
	kind string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "this-network"},
	{netip.MustParsePrefix("100.64.0.0/10"), "shared (carrier-grade NAT)"},
	{netip.MustParsePrefix("192.0.0.0/24"), "IETF protocol"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"},
	{netip.MustParsePrefix("64:ff9b:1::/48"), "local NAT64"},
	{netip.MustParsePrefix("100::/64"), "discard-only"},
	{netip.MustParsePrefix("fec0::/10"), "site-local"},
}

// mediaNAT64 is the well-known NAT64 prefix: its addresses reach the IPv4
// address in their last 32 bits, which decides.
var mediaNAT64 = netip.MustParsePrefix("64:ff9b::/96")

// mediaAddrKind returns what kind of non-public address a is, "" for a
// public one. IPv4 addresses written as IPv6 (::ffff:a.b.c.d, and NAT64's
// 64:ff9b::a.b.c.d) are judged by their IPv4 address.
func mediaAddrKind(a netip.Addr) string {
	a = a.Unmap()
	if mediaNAT64.Contains(a) {
		b := a.As16()
		a = netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})
	}
	switch {
	case !a.IsValid():
		return "invalid"
	case a.IsLoopback():
		return "loopback"
	case a.IsPrivate():
		return "private"
	case a.IsLinkLocalUnicast():
		return "link-local"
	case a.IsUnspecified():
		return "unspecified"
	case a.IsMulticast():
		return "multicast"
	case a == netip.AddrFrom4([4]byte{255, 255, 255, 255}):
		return "broadcast"
	}
	for _, b := range mediaBlockedPrefixes {
		if b.p.Contains(a) {
			return b.kind
		}
	}
	return ""
}

// mediaCheckAddr returns an *AddressError when address (an "ip:port" as
// the dialer passes it after resolving) is not public.
func mediaCheckAddr(address string) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		host = address
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		// The dialer always passes an IP; anything else is refused rather
		// than trusted.
		return &AddressError{Kind: "unparsable"}
	}
	if k := mediaAddrKind(a); k != "" {
		return &AddressError{Addr: a.Unmap(), Kind: k}
	}
	return nil
}

// mediaAddrCheck is the check the guarded dialer runs; a test replaces it
// to treat one loopback server as public.
var mediaAddrCheck = mediaCheckAddr

// mediaGuard makes a transport refuse non-public addresses. The check runs
// in the dialer's Control function, on the IP the connection is about to
// be made to, after DNS: a name that resolves (or re-resolves, DNS
// rebinding) to 127.0.0.1, and a redirect to an internal host, are
// refused alike.
//
// Through a proxy (HTTP_PROXY, HTTPS_PROXY) the connection is to the
// proxy, which resolves the name itself: the proxy's own address is let
// through (a proxy on localhost is common), and the URL's host is checked
// before the request instead, as an IP or by resolving it here. That
// check cannot see what the proxy resolves later.
type mediaGuard struct {
	proxy    func(*http.Request) (*url.URL, error)
	resolver *net.Resolver

	mu      sync.Mutex
	proxies map[string]bool // host:port of the proxies in use
}

// guardTransport returns tr with dialing and proxying guarded.
func guardTransport(tr *http.Transport, dialer *net.Dialer) *http.Transport {
	g := &mediaGuard{proxy: tr.Proxy, resolver: net.DefaultResolver, proxies: map[string]bool{}}
	guarded := *dialer
	guarded.Control = func(network, address string, _ syscall.RawConn) error {
		return mediaAddrCheck(address)
	}
	plain := dialer.DialContext
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		g.mu.Lock()
		toProxy := g.proxies[addr]
		g.mu.Unlock()
		if toProxy {
			return plain(ctx, network, addr)
		}
		return guarded.DialContext(ctx, network, addr)
	}
	if tr.Proxy != nil {
		tr.Proxy = g.proxyFor
	}
	return tr
}

// proxyFor is the transport's Proxy: the environment's proxy for req,
// after req's host passed the check.
func (g *mediaGuard) proxyFor(req *http.Request) (*url.URL, error) {
	p, err := g.proxy(req)
	if err != nil || p == nil {
		return p, err
	}
	host := req.URL.Hostname()
	if a, err := netip.ParseAddr(host); err == nil {
		if k := mediaAddrKind(a); k != "" {
			return nil, &AddressError{Addr: a.Unmap(), Kind: k}
		}
	} else {
		addrs, err := g.resolver.LookupNetIP(req.Context(), "ip", host)
		if err != nil {
			return nil, err
		}
		for _, a := range addrs {
			if k := mediaAddrKind(a); k != "" {
				return nil, &AddressError{Addr: a.Unmap(), Kind: k}
			}
		}
	}
	port := p.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443", "socks5": "1080"}[p.Scheme]
	}
	g.mu.Lock()
	g.proxies[net.JoinHostPort(p.Hostname(), port)] = true
	g.mu.Unlock()
	return p, nil
}
