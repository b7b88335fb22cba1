package provider

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// TestAdaptiveHalvesOnceAndRecovers: a burst of 429s from calls started
// together halves the limit once; successes raise it by one per round
// until it reaches the most calls the callers had in flight, where it
// lifts.
func TestAdaptiveHalvesOnceAndRecovers(t *testing.T) {
	clock := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	a := newAdaptive(func() time.Time { return clock })
	ctx := context.Background()
	starts := make([]time.Time, 32)
	for i := range starts {
		starts[i], _ = a.acquire(ctx)
	}
	clock = clock.Add(time.Second)
	for i := range 20 {
		a.release(starts[i], http.StatusTooManyRequests, 0)
	}
	st := a.state()
	if !st.Throttled || st.Limit != 16 || st.Decreases != 1 || st.Ceiling != 32 {
		t.Fatalf("after one burst of 429s: %+v, want limit 16 after one decrease", st)
	}
	for i := 20; i < 32; i++ {
		a.release(starts[i], http.StatusOK, 0)
	}
	// A 429 from a call started after the decrease halves again.
	clock = clock.Add(time.Millisecond)
	s, _ := a.acquire(ctx)
	clock = clock.Add(time.Second)
	a.release(s, http.StatusTooManyRequests, 0)
	if st := a.state(); st.Limit != 8 || st.Decreases != 2 {
		t.Fatalf("after a later 429: %+v, want limit 8", st)
	}
	rounds := 0
	for a.state().Throttled {
		if rounds++; rounds > 10000 {
			t.Fatalf("never recovered: %+v", a.state())
		}
		s, err := a.acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		a.release(s, http.StatusOK, 0)
	}
	if st := a.state(); st.Limit != 32 {
		t.Fatalf("recovered to %+v, want the ceiling 32", st)
	}
}

// TestAdaptiveWaitsForASlot: while limited, a call past the limit waits
// until one ends; a cancelled wait gives up.
func TestAdaptiveWaitsForASlot(t *testing.T) {
	a := newAdaptive(time.Now)
	ctx := context.Background()
	s1, _ := a.acquire(ctx)
	s2, _ := a.acquire(ctx)
	a.release(s1, http.StatusTooManyRequests, 0) // limit 1, s2 in flight
	got := make(chan error, 1)
	go func() {
		_, err := a.acquire(ctx)
		got <- err
	}()
	select {
	case <-got:
		t.Fatal("a call went past the limit")
	case <-time.After(20 * time.Millisecond):
	}
	a.release(s2, http.StatusOK, 0)
	if err := <-got; err != nil {
		t.Fatal(err)
	}
	a.acquire(ctx) // the limit grew to 2: both slots taken
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := a.acquire(cctx); err == nil {
		t.Fatal("a cancelled wait got a slot")
	}
}

func TestRateLimitPause(t *testing.T) {
	now := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	h := func(kv ...string) http.Header {
		out := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	for _, c := range []struct {
		name   string
		h      http.Header
		status int
		want   time.Duration
	}{
		{"retry-after on 429", h("Retry-After", "2"), 429, 2 * time.Second},
		{"retry-after ignored on 200", h("Retry-After", "2"), 200, 0},
		{"requests used up", h("X-Ratelimit-Remaining-Requests", "0", "X-Ratelimit-Reset-Requests", "1.5s"), 200, 1500 * time.Millisecond},
		{"requests left", h("X-Ratelimit-Remaining-Requests", "3", "X-Ratelimit-Reset-Requests", "1s"), 200, 0},
		{"tokens used up, longest wins", h("Retry-After", "1", "X-Ratelimit-Remaining-Tokens", "0", "X-Ratelimit-Reset-Tokens", "6m0s"), 429, time.Minute},
		{"reset in ms", h("X-Ratelimit-Remaining-Requests", "0", "X-Ratelimit-Reset-Requests", "20ms"), 429, 20 * time.Millisecond},
		{"garbage", h("X-Ratelimit-Remaining-Requests", "0", "X-Ratelimit-Reset-Requests", "soon"), 200, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := rateLimitPause(c.h, c.status, now); got != c.want {
				t.Fatalf("pause %v, want %v", got, c.want)
			}
		})
	}
}
