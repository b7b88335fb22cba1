package tui

import (
	"errors"
	"fmt"
	"github.com/charmbracelet/x/ansi"
	"promptbench/eval/provider"
	"promptbench/themes"
	mdrender "promptbench/tui/markdown"
	"strings"
	"testing"
	"time"

	"promptbench/eval"
	"promptbench/eval/fakeopenai"
	"promptbench/workspace"
)

// TestPlainWrapGrows: wrapping a growing text re-wraps only its last line
// and reads the same as wrapping it whole.
func TestPlainWrapGrows(t *testing.T) {
	text := "first line that is long enough to wrap here\nsecond\n\nthird paragraph, also long enough to wrap"
	var w plainWrap
	for n := 1; n <= len(text); n++ {
		got := strings.Join(w.lines(text[:n], 12), "\n")
		if want := wrapText(text[:n], 12); got != want {
			t.Fatalf("after %d bytes:\n%q\nwant\n%q", n, got, want)
		}
	}
	if got := w.lines("other", 12); len(got) != 1 || got[0] != "other" {
		t.Fatalf("a text that is not an extension: %q", got)
	}
}

func TestMetricsLines(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	price := &workspace.Price{Input: 1, Output: 2}
	tests := []struct {
		name string
		col  column
		want [2]string
	}{
		{"waiting", column{state: colWaiting}, [2]string{"waiting…", ""}},
		{"started, no text yet", column{state: colStreaming, started: t0}, [2]string{"streaming…", ""}},
		{"streaming", column{state: colStreaming, started: t0, first: t0.Add(300 * time.Millisecond), last: t0.Add(1300 * time.Millisecond), deltas: 40},
			[2]string{"ttft 300ms · 40 tok/s", "~40 tok · ~$0.00008"}},
		{"done", column{state: colDone, result: &eval.Result{TTFT: 1500 * time.Millisecond, Latency: 3500 * time.Millisecond, InputTokens: 12, OutputTokens: 100, Cost: 0.0123}},
			[2]string{"ttft 1.5s · total 3.5s", "50 tok/s · 12→100 tok · $0.0123"}},
		{"cached", column{state: colDone, result: &eval.Result{Cached: true, InputTokens: 1, OutputTokens: 2, TokensEstimated: true}},
			[2]string{"from the response cache", "~1→2 tok"}},
		{"cancelled", column{state: colCancelled, result: &eval.Result{Unpriced: true, TTFT: time.Millisecond, Latency: time.Millisecond}},
			[2]string{"ttft 1ms · total 1ms", "0→0 tok · no price · cancelled"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := metricsLines(&tt.col, price); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseFormValue(t *testing.T) {
	for in, want := range map[string]any{"cats": "cats", "3": "3", "false": false, " true ": true, "[1]": []any{float64(1)}, "{bad": "{bad"} {
		got := parseFormValue(in)
		if !equalJSONish(got, want) {
			t.Errorf("parseFormValue(%q) = %#v, want %#v", in, got, want)
		}
	}
}

func equalJSONish(a, b any) bool {
	return strings.TrimSpace(formValue(a)) == strings.TrimSpace(formValue(b))
}

// TestColumnBodyWhileStreaming: a streaming column shows its finished
// blocks as markdown and the part still arriving as it is; once the call
// ends the whole output is markdown, and raw mode shows the text.
func TestColumnBodyWhileStreaming(t *testing.T) {
	p := newComparePane(&common{styles: testStyles(t), md: mdrender.New(8)}, CompareOptions{})
	col := &column{state: colStreaming}
	col.text.WriteString("# Title\n\nFirst **bold** block.\n\nstill **typ")
	got := ansi.Strip(strings.Join(p.bodyLines(col, 40), "\n"))
	if strings.Contains(got, "# Title") || strings.Contains(got, "**bold**") || !strings.Contains(got, "still **typ") {
		t.Fatalf("streaming body:\n%s", got)
	}
	col.state = colDone
	col.text.WriteString("ing**")
	col.view.dirty = true
	if got := ansi.Strip(strings.Join(p.bodyLines(col, 40), "\n")); strings.Contains(got, "**") {
		t.Fatalf("finished body:\n%s", got)
	}
	p.raw = true
	if got := ansi.Strip(strings.Join(p.bodyLines(col, 40), "\n")); !strings.Contains(got, "# Title") {
		t.Fatalf("raw body:\n%s", got)
	}
}

func testStyles(t *testing.T) themes.Styles {
	t.Helper()
	pal, err := themes.Lookup("dark", true)
	if err != nil {
		t.Fatal(err)
	}
	return themes.New(pal, true)
}

func TestModelErrorsSayWhatToDo(t *testing.T) {
	err := withModelHint(fmt.Errorf("openai/gpt-4o: %w", provider.ErrNoAPIKey))
	if !errors.Is(err, provider.ErrNoAPIKey) || !strings.Contains(err.Error(), "[ and ] choose another model") {
		t.Fatalf("error %q", err)
	}
	if other := errors.New("disk full"); withModelHint(other) != other {
		t.Fatal("other errors changed")
	}
}

// TestCompareMissingVariableSaysWhatToDo: running with a variable left
// empty names it and says which keys give it, in the TUI's words.
func TestCompareMissingVariableSaysWhatToDo(t *testing.T) {
	srv := fakeopenai.New(nil)
	defer srv.Close()
	d := newLiveDriver(t, greetWorkspace(t), fakeOptions(t, srv), 100, 30)
	d.openCompare("t/greet", 2)
	d.keys("R")
	d.until("the error in the status line", func() bool { return strings.Contains(d.m.status.full, "missing variables") })
	if s := d.m.status.full; !strings.Contains(s, "missing variables: name") || !strings.Contains(s, "e, then enter on each") {
		t.Fatalf("status: %q", s)
	}
	if srv.Requests() != 0 {
		t.Fatalf("%d calls with a variable missing", srv.Requests())
	}
}

// TestFailedColumnShowsTheWholeError: a column whose call failed shows
// its whole error, however many lines it wraps to, not the first two.
func TestFailedColumnShowsTheWholeError(t *testing.T) {
	srv := fakeopenai.New(nil)
	defer srv.Close()
	d := newLiveDriver(t, greetWorkspace(t), fakeOptions(t, srv), 80, 24)
	d.openCompare("t/greet", 2)
	d.keys("aR")
	d.until("the failed columns", func() bool {
		return len(d.m.compare.cols) == 3 && !d.m.compare.running()
	})
	p := d.m.compare
	col := p.cols[p.order[0]]
	shown := ansi.Strip(strings.Join(p.columnBlock(0, col, p.colWidth(), p.bodyHeight()), " "))
	squeeze := func(s string) string { return strings.Join(strings.Fields(s), "") }
	if want := "error: " + col.err; !strings.Contains(squeeze(shown), squeeze(want)) {
		t.Fatalf("column shows\n%s\nnot the whole %q", shown, want)
	}
}
