package aggregator

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"syscall"
)

// ErrPrivateAddress is a fetch refused because it would connect to a
// loopback, private, link-local or otherwise internal address that the
// operator did not configure.
var ErrPrivateAddress = errors.New("refused to connect to a private network address (allow_private_networks is off)")

// sharedNAT is 100.64.0.0/10 (RFC 6598), which netip does not call private.
var sharedNAT = netip.MustParsePrefix("100.64.0.0/10")

// isPrivate reports whether a is an address a fetch must not reach on a
// hostile outlet's say-so: loopback, RFC 1918 and unique-local, link-local
// (cloud metadata lives at 169.254.169.254), carrier-grade NAT, unspecified
// and multicast. IPv4-mapped IPv6 addresses are judged as IPv4.
func isPrivate(a netip.Addr) bool {
	a = a.Unmap()
	return a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
		a.IsInterfaceLocalMulticast() || a.IsMulticast() || a.IsUnspecified() || sharedNAT.Contains(a)
}

// NamesPrivateAddress reports whether rawURL's host is written as a private
// network address (an IP literal isPrivate refuses) or as localhost: an
// address a fetch reaches only because a configured URL names it. Names
// that resolve to one are not known without resolving them.
func NamesPrivateAddress(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil {
		return false
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return numericHost(host)
	}
	return isPrivate(a)
}

// numericHost reports whether host, which is no address Go reads, is one
// to four dot-separated numbers, each decimal, octal (a leading 0) or hex
// (0x…): forms inet_aton reads as an address (127.1, 2130706433, 0x7f.1,
// 0177.0.0.1), which a system resolver may resolve to one (glibc reads
// 127.1 as 127.0.0.1).
func numericHost(host string) bool {
	parts := strings.Split(host, ".")
	if len(parts) > 4 {
		return false
	}
	for _, p := range parts {
		if hex, ok := strings.CutPrefix(p, "0x"); ok {
			if strings.Trim(hex, "0123456789abcdef") != "" {
				return false
			}
			continue
		}
		if p == "" || strings.Trim(p, "0123456789") != "" {
			return false
		}
	}
	return true
}

// IsPrivate reports whether a is an address a fetch refuses unless a
// configured URL names it (isPrivate).
func IsPrivate(a netip.Addr) bool { return isPrivate(a) }

// privateGuard keeps fetches off private networks, except for the hosts the
// operator wrote in the configuration (intranet feeds, loopback tests) and
// the proxy the environment names.
type privateGuard struct {
	trusted map[string]bool // "host:port", lower-case
	proxies sync.Map        // "host:port" of proxies in use → true
}

// HostPort is u's host and port as the HTTP transport dials it: lower-case,
// with the scheme's default port.
func HostPort(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	return net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

func (g *privateGuard) trusts(addr string) bool {
	addr = strings.ToLower(addr)
	if g.trusted[addr] {
		return true
	}
	_, proxy := g.proxies.Load(addr)
	return proxy
}

// literalPrivate reports whether u names a private IP literally: refused
// before any dial (a fetch through a proxy never sees the address dialled).
func (g *privateGuard) literalPrivate(u *url.URL) bool {
	a, err := netip.ParseAddr(u.Hostname())
	return err == nil && isPrivate(a) && !g.trusts(HostPort(u))
}

// refusePrivate is a net.Dialer Control hook: it sees the address actually
// dialled, after name resolution, so a name that resolves to 127.0.0.1 is
// caught as surely as a literal one.
func refusePrivate(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("dial %s: %w", address, err)
	}
	if isPrivate(ap.Addr()) {
		return ErrPrivateAddress
	}
	return nil
}

// PrivateNetworks sets whether fetches may reach private networks. With
// allow false, a connection to a private address is refused unless its
// host and port are those of one of the configured URLs: an outlet's
// redirect cannot point nashra at an internal service, while a feed the
// operator configured on an intranet or loopback still works. Call it
// before the first Fetch.
func (f *Fetcher) PrivateNetworks(allow bool, configured []string) *Fetcher {
	if allow {
		f.guard = nil
		return f
	}
	g := &privateGuard{trusted: map[string]bool{}}
	for _, raw := range configured {
		if u, err := url.Parse(raw); err == nil && u.Host != "" {
			g.trusted[HostPort(u)] = true
		}
	}
	f.guard = g
	return f
}

// dial connects for the transport, through the guard when there is one.
func (f *Fetcher) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	if f.guard == nil || f.guard.trusts(addr) {
		return f.dialer.DialContext(ctx, network, addr)
	}
	return f.publicDialer.DialContext(ctx, network, addr)
}

// proxy is the environment's proxy; the guard lets the fetcher dial it.
func (f *Fetcher) proxy(req *http.Request) (*url.URL, error) {
	u, err := http.ProxyFromEnvironment(req)
	if u != nil && f.guard != nil {
		f.guard.proxies.Store(HostPort(u), true)
	}
	return u, err
}
