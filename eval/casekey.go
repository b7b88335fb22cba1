package eval

// CaseKey is the response-cache key a session uses for req at repeat: an
// estimate (an evaluation's --dry-run) asks the cache with it what would
// be answered without a call.
func CaseKey(req Request, repeat int) string {
	return repeatKey(RequestKey(req), repeat)
}
