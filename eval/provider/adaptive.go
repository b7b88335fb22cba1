package provider

import (
	"context"
	"maps"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// adaptive is a provider's concurrency under rate limits: additive
// increase, multiplicative decrease. It limits nothing until the provider
// first answers 429; then the calls in flight are halved (at most once per
// round trip: the 429s of one burst count once) and grow back by one per
// round of successful calls, until they reach the most the callers ever
// had in flight, where the limit lifts. Rate-limit headers pause every
// call of the provider: Retry-After on a 429, and a reset time when
// x-ratelimit-remaining-requests (or -tokens) says nothing is left.
type adaptive struct {
	now func() time.Time

	mu          sync.Mutex
	limited     bool
	limit       float64 // calls allowed in flight while limited
	inFlight    int
	peak        int // the most calls ever in flight: the ceiling
	decreased   time.Time
	pausedUntil time.Time
	decreases   int
	changed     chan struct{} // closed and replaced when a slot may be free
}

func newAdaptive(now func() time.Time) *adaptive {
	return &adaptive{now: now, changed: make(chan struct{})}
}

// Throttle is a provider's state under rate limits, for a progress line.
type Throttle struct {
	Provider  string
	Throttled bool // calls are limited below what the callers ask, or paused
	Limit     int  // calls allowed in flight while throttled
	Ceiling   int  // the most calls the callers had in flight
	InFlight  int
	Decreases int // times the limit was halved
}

func (a *adaptive) state() Throttle {
	a.mu.Lock()
	defer a.mu.Unlock()
	t := Throttle{Limit: a.peak, Ceiling: a.peak, InFlight: a.inFlight, Decreases: a.decreases}
	if a.limited {
		t.Limit = int(a.limit)
	}
	t.Throttled = a.limited || a.now().Before(a.pausedUntil)
	return t
}

// acquire waits for a slot; it returns the time the call started, which
// release needs.
func (a *adaptive) acquire(ctx context.Context) (time.Time, error) {
	for {
		if err := ctx.Err(); err != nil {
			return time.Time{}, err
		}
		a.mu.Lock()
		now := a.now()
		wait := a.pausedUntil.Sub(now)
		if wait <= 0 && (!a.limited || float64(a.inFlight) < math.Floor(a.limit)) {
			a.inFlight++
			a.peak = max(a.peak, a.inFlight)
			a.mu.Unlock()
			return now, nil
		}
		ch := a.changed
		a.mu.Unlock()
		var timer <-chan time.Time
		if wait > 0 {
			t := time.NewTimer(wait)
			defer t.Stop()
			timer = t.C
		}
		select {
		case <-ctx.Done():
			return time.Time{}, ctx.Err()
		case <-ch:
		case <-timer:
		}
	}
}

// release frees the slot of a call started at start that ended with HTTP
// status (0: no answer) and the rate-limit pause its headers asked for.
func (a *adaptive) release(start time.Time, status int, pause time.Duration) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.inFlight--
	now := a.now()
	if pause > 0 && now.Add(pause).After(a.pausedUntil) {
		a.pausedUntil = now.Add(pause)
	}
	switch {
	case status == http.StatusTooManyRequests:
		// Calls started before the last decrease saw the old limit: their
		// 429s are the same burst.
		if !a.limited || start.After(a.decreased) {
			base := float64(a.inFlight + 1) // the calls out when the 429 came
			if a.limited {
				base = a.limit
			}
			a.limit = math.Max(1, math.Floor(base/2))
			a.limited = true
			a.decreased = now
			a.decreases++
		}
	case status >= 200 && status < 300 && a.limited:
		a.limit += 1 / a.limit // one more per round of limit calls
		if a.limit >= float64(a.peak) {
			a.limited = false
		}
	}
	close(a.changed)
	a.changed = make(chan struct{})
}

// rateLimitPause reads how long a provider asks every call to wait: a 429's
// Retry-After, or the reset time of a request or token budget that is
// used up (x-ratelimit-remaining-requests: 0 and
// x-ratelimit-reset-requests: 1s, or the -tokens pair).
func rateLimitPause(h http.Header, status int, now time.Time) time.Duration {
	var pause time.Duration
	if status == http.StatusTooManyRequests {
		pause = parseRetryAfter(h, now)
	}
	for _, kind := range []string{"requests", "tokens"} {
		rem := strings.TrimSpace(h.Get("X-Ratelimit-Remaining-" + kind))
		if n, err := strconv.ParseFloat(rem, 64); err != nil || n > 0 {
			continue
		}
		if d := parseReset(h.Get("X-Ratelimit-Reset-" + kind)); d > pause {
			pause = d
		}
	}
	return min(pause, maxPause)
}

// maxPause caps a pause a header asks for: a wrong header must not stop a
// run for hours.
const maxPause = time.Minute

// parseReset reads a reset time as OpenAI sends it ("1s", "6m0s", "20ms")
// or as seconds ("0.5").
func parseReset(v string) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if d, err := time.ParseDuration(v); err == nil && d > 0 {
		return d
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil && s > 0 && s < 1e6 {
		return time.Duration(s * float64(time.Second))
	}
	return 0
}

// Throttles reports, for each provider that has made calls, its state
// under rate limits, by name.
func (r *Registry) Throttles() []Throttle {
	var out []Throttle
	for _, name := range slices.Sorted(maps.Keys(r.providers)) {
		p := r.providers[name]
		if p.adaptive == nil {
			continue
		}
		t := p.adaptive.state()
		if t.Ceiling == 0 {
			continue
		}
		t.Provider = name
		out = append(out, t)
	}
	return out
}
