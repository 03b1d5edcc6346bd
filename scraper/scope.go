package scraper

import (
	"regexp"
	"strings"
	"sync"
)

// scope decides which URLs belong to the crawl: the seeds' hosts (a "www."
// prefix is ignored on both sides, so example.com and www.example.com are
// one site), the configured domains and their subdomains, the include and
// exclude patterns and the depth limit.
type scope struct {
	mu       sync.RWMutex
	hosts    map[string]bool // seed hosts with port, "www." stripped
	domains  []string
	include  []*regexp.Regexp
	exclude  []*regexp.Regexp
	maxDepth int
}

func newScope(cfg Config) *scope {
	s := &scope{hosts: make(map[string]bool), include: cfg.Include, exclude: cfg.Exclude, maxDepth: cfg.MaxDepth}
	for _, d := range cfg.AllowedDomains {
		if d = normDomain(d); d != "" {
			s.domains = append(s.domains, d)
		}
	}
	return s
}

func (s *scope) addSeedHost(hostport string) {
	s.mu.Lock()
	s.hosts[strings.TrimPrefix(strings.ToLower(hostport), "www.")] = true
	s.mu.Unlock()
}

func (s *scope) empty() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.hosts) == 0 && len(s.domains) == 0
}

// hostAllowed reports whether a canonical URL's host is in scope.
func (s *scope) hostAllowed(canon string) bool {
	_, hp, _ := splitCanonical(canon)
	hp = strings.TrimPrefix(hp, "www.")
	s.mu.RLock()
	ok := s.hosts[hp]
	s.mu.RUnlock()
	if ok {
		return true
	}
	h := hp
	if i := strings.LastIndexByte(h, ':'); i >= 0 && !strings.HasSuffix(h, "]") {
		h = h[:i]
	}
	for _, d := range s.domains {
		if h == d || strings.HasSuffix(h, "."+d) {
			return true
		}
	}
	return false
}

// allows reports whether a canonical URL of the given kind and depth is in
// scope. Seeds bypass the patterns; sitemaps and feeds bypass Include.
func (s *scope) allows(raw string, kind Kind, depth int, seed bool) bool {
	if kind == KindRequisite {
		// Requisites come from the pages in scope, wherever they are
		// hosted; only the exclude patterns apply to them.
		return !s.excluded(raw)
	}
	if !s.hostAllowed(raw) {
		return false
	}
	if seed {
		return true
	}
	if s.maxDepth > 0 && depth > s.maxDepth {
		return false
	}
	if s.excluded(raw) {
		return false
	}
	if kind != KindPage || len(s.include) == 0 {
		return true
	}
	for _, re := range s.include {
		if re.MatchString(raw) {
			return true
		}
	}
	return false
}

// excluded reports whether an exclude pattern matches raw.
func (s *scope) excluded(raw string) bool {
	for _, re := range s.exclude {
		if re.MatchString(raw) {
			return true
		}
	}
	return false
}

// splitCanonical splits a canonical URL (see Canonicalize) into its origin
// (scheme://host[:port], the robots.txt key), host[:port] (the politeness
// key) and path with query.
func splitCanonical(s string) (origin, hostport, pathQuery string) {
	i := strings.Index(s, "://")
	if i < 0 {
		return "", "", s
	}
	rest := s[i+3:]
	j := strings.IndexAny(rest, "/?")
	if j < 0 {
		return s, rest, "/"
	}
	pathQuery = rest[j:]
	if pathQuery[0] == '?' {
		pathQuery = "/" + pathQuery
	}
	return s[:i+3+j], rest[:j], pathQuery
}
