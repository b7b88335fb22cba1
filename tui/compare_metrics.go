package tui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"promptbench/workspace"
)

// metricsLines are a column's header figures: time to first token and
// (once done) the whole latency, then tokens per second, tokens and cost. While the call streams they
// are the TUI's own counts (pieces of text for tokens, marked ~); once it
// ends, the provider's.
func metricsLines(col *column, price *workspace.Price) [2]string {
	if col.state == colWaiting || (col.state == colStreaming && col.first.IsZero()) {
		return [2]string{stateWord(col.state)}
	}
	if res := col.result; res != nil {
		first := []string{"ttft " + shortDuration(res.TTFT)}
		if res.Latency > 0 {
			first = append(first, "total "+shortDuration(res.Latency))
		}
		if res.Cached {
			first = []string{"from the response cache"} // no call, no timings
		}
		var second []string
		if gen := res.Latency - res.TTFT; gen >= minRateSpan && res.OutputTokens > 0 {
			second = append(second, perSecond(res.OutputTokens, gen))
		}
		tokens := fmt.Sprintf("%d→%d tok", res.InputTokens, res.OutputTokens)
		if res.TokensEstimated {
			tokens = "~" + tokens
		}
		second = append(second, tokens)
		switch {
		case res.Cached:
		case res.Unpriced:
			second = append(second, "no price")
		default:
			second = append(second, cost(res.Cost))
		}
		if col.state == colCancelled {
			second = append(second, "cancelled")
		}
		return [2]string{strings.Join(first, " · "), strings.Join(second, " · ")}
	}
	parts := []string{"ttft " + shortDuration(col.first.Sub(col.started))}
	if gen := col.last.Sub(col.first); gen >= minRateSpan {
		parts = append(parts, perSecond(col.deltas, gen))
	}
	second := "~" + strconv.Itoa(col.deltas) + " tok"
	if price != nil {
		second += " · ~" + cost(float64(col.deltas)*price.Output/1e6)
	}
	return [2]string{strings.Join(parts, " · "), second}
}

// minRateSpan is the shortest generation a rate is given for: an answer
// that came whole (the echo model, a cache) has no meaningful speed.
const minRateSpan = 20 * time.Millisecond

// stateWord is a column's state in a word, for when figures are hidden or
// not there yet.
func stateWord(s columnState) string {
	switch s {
	case colWaiting:
		return "waiting…"
	case colStreaming:
		return "streaming…"
	case colDone:
		return "done"
	case colFailed:
		return "failed"
	case colCancelled:
		return "cancelled"
	}
	return ""
}

func perSecond(tokens int, d time.Duration) string {
	return strconv.FormatFloat(float64(tokens)/d.Seconds(), 'f', 0, 64) + " tok/s"
}

// shortDuration is a latency as people read it: 850ms, 1.2s.
func shortDuration(d time.Duration) string {
	if d < time.Second {
		return strconv.FormatInt(d.Milliseconds(), 10) + "ms"
	}
	return strconv.FormatFloat(d.Seconds(), 'f', 1, 64) + "s"
}

// cost is USD with enough digits to tell small calls apart.
func cost(usd float64) string {
	switch {
	case usd == 0:
		return "$0"
	case usd < 0.01:
		return "$" + strconv.FormatFloat(usd, 'f', 5, 64)
	}
	return "$" + strconv.FormatFloat(usd, 'f', 4, 64)
}
