package web

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// netList is a list of addresses and networks, from a comma-separated setting.
type netList []netip.Prefix

func parseNetList(s string) (netList, error) {
	var list netList
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !strings.Contains(part, "/") {
			addr, err := netip.ParseAddr(part)
			if err != nil {
				return nil, fmt.Errorf("%q is not an address or CIDR", part)
			}
			list = append(list, netip.PrefixFrom(addr, addr.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(part)
		if err != nil {
			return nil, fmt.Errorf("%q is not an address or CIDR", part)
		}
		list = append(list, p.Masked())
	}
	return list, nil
}

func (l netList) contains(ip string) bool {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	addr = addr.Unmap()
	for _, p := range l {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (s *Server) fromTrustedProxy(r *http.Request) bool {
	return s.proxies.contains(remoteIP(r))
}

// clientIP is the address of whoever sent the request. Behind trusted proxies
// it is the right-most address in X-Forwarded-For that is not itself a
// trusted proxy: the left-most entries are whatever the client claimed, so
// throttling by them would let anyone pick a fresh address per try.
func (s *Server) clientIP(r *http.Request) string {
	ip := remoteIP(r)
	if !s.proxies.contains(ip) {
		return ip
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop := strings.TrimSpace(hops[i])
		if hop == "" {
			continue
		}
		if _, err := netip.ParseAddr(hop); err != nil {
			break
		}
		ip = hop
		if !s.proxies.contains(hop) {
			break
		}
	}
	return ip
}
