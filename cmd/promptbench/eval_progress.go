package main

import (
	"fmt"
	"io"
	"sync"
	"time"

	"promptbench/eval/evalrun"
	"promptbench/eval/provider"
)

// progress shows an evaluation's progress on stderr: a live one-line
// counter on a terminal, a plain line every few seconds otherwise (a CI
// log), and there also a line as soon as a provider starts or stops
// backing off under 429s, so that a CI log shows when the run slowed and
// why. The report goes to stdout; the two never mix.
type progress struct {
	w         io.Writer
	terminal  bool
	every     time.Duration
	start     time.Time
	throttles func() []provider.Throttle // nil: none shown

	mu      sync.Mutex
	last    evalrun.Progress
	printed bool
	// throttled is each provider's back-off state on the last line.
	throttled map[string]bool
	done      chan struct{}
	wg        sync.WaitGroup
}

func (a *app) newProgress(throttles func() []provider.Throttle) *progress {
	terminal := isTerminal(a.Err)
	every := 5 * time.Second
	if terminal {
		every = 200 * time.Millisecond
	}
	return startProgress(a.Err, terminal, every, throttles)
}

// startProgress starts the display; throttles, when not nil, tells which
// providers back off under 429s.
func startProgress(w io.Writer, terminal bool, every time.Duration, throttles func() []provider.Throttle) *progress {
	p := &progress{w: w, terminal: terminal, every: every, start: time.Now(), done: make(chan struct{}), throttles: throttles}
	p.wg.Go(p.loop)
	return p
}

func (p *progress) update(s evalrun.Progress) {
	p.mu.Lock()
	p.last = s
	p.mu.Unlock()
}

// throttleCheck is how often a plain log looks for a change of back-off.
const throttleCheck = 100 * time.Millisecond

func (p *progress) loop() {
	t := time.NewTicker(p.every)
	defer t.Stop()
	var check <-chan time.Time
	if !p.terminal {
		c := time.NewTicker(min(throttleCheck, p.every))
		defer c.Stop()
		check = c.C
	}
	for {
		select {
		case <-p.done:
			return
		case <-t.C:
			p.print()
		case <-check:
			if p.throttleChanged() {
				p.print()
			}
		}
	}
}

// throttleChanged reports whether a provider started or stopped backing
// off since the last line.
func (p *progress) throttleChanged() bool {
	if p.throttles == nil {
		return false
	}
	for _, t := range p.throttles() {
		if t.Throttled != p.throttled[t.Provider] {
			return true
		}
	}
	return false
}

func (p *progress) line() string {
	p.mu.Lock()
	s := p.last
	p.mu.Unlock()
	el := time.Since(p.start).Seconds()
	rate := 0.0
	if el > 0 {
		rate = float64(s.Done) / el
	}
	line := fmt.Sprintf("run %s: %d/%d calls · %.0f/s · %d failed · %d scorer errors · $%.4f",
		s.Run, s.Done, s.Total, rate, s.Failed, s.Errors, s.Cost)
	if p.throttles != nil {
		for _, t := range p.throttles() {
			switch {
			case t.Throttled:
				line += fmt.Sprintf(" · %s throttled (429): %d of %d calls at once", t.Provider, t.Limit, t.Ceiling)
			case p.throttled[t.Provider]:
				line += fmt.Sprintf(" · %s recovered: %d calls at once", t.Provider, t.Ceiling)
			}
			if p.throttled == nil {
				p.throttled = map[string]bool{}
			}
			p.throttled[t.Provider] = t.Throttled
		}
	}
	return line
}

func (p *progress) print() {
	p.mu.Lock()
	started := p.last.Run != ""
	p.mu.Unlock()
	if !started {
		return
	}
	if p.terminal {
		fmt.Fprintf(p.w, "\r\x1b[K%s", p.line())
	} else {
		fmt.Fprintln(p.w, p.line())
	}
	p.printed = true
}

// stop ends the display; on a terminal the counter line is cleared.
func (p *progress) stop() {
	close(p.done)
	p.wg.Wait()
	if p.terminal && p.printed {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
