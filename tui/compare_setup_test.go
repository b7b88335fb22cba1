package tui

import (
	"strings"
	"testing"

	"promptbench/eval/fakeopenai"
)

// TestCompareVariableEnterSaysNext: enter in a variable's value moves on
// to the next variable, and the key help says so; on the last it is done.
func TestCompareVariableEnterSaysNext(t *testing.T) {
	d := newLiveDriver(t, demoWorkspace(t), CompareOptions{}, 120, 30)
	d.openCompare("support/reply", 3)
	d.keys("jj⏎") // the first variable, company
	d.mustShow("enter next variable")
	d.keys("Acme⏎")
	d.mustShow("enter next variable")
	d.keys("⏎") // the last one, ticket
	d.mustShow("enter done")
	d.keys("⏎")
	if d.m.compare.input != inputNone {
		t.Fatal("enter on the last variable did not end the typing")
	}
	if got := d.m.compare.setup.values["company"]; got != "Acme" {
		t.Fatalf("company = %q", got)
	}
}

// TestCompareRunsTheVariantsThatCan: a variant whose model has no key
// fails in its own column with its own reason, and the other variant
// still runs against the server.
func TestCompareRunsTheVariantsThatCan(t *testing.T) {
	srv := fakeopenai.New(nil)
	defer srv.Close()
	o := fakeOptions(t, srv)
	o.Models = []string{"fake/gpt", "openai/gpt-4o-mini"}
	d := newLiveDriver(t, greetWorkspace(t), o, 100, 30)
	d.openCompare("t/greet", 2)
	d.keys("j]]") // B on openai/gpt-4o-mini, whose key is not set
	d.keys("j⏎Ada⏎R")
	d.until("both columns", func() bool { return len(d.m.compare.cols) == 2 && !d.m.compare.running() })
	a, b := d.m.compare.cols[0], d.m.compare.cols[1]
	if a.state != colDone || !strings.Contains(a.output(), "Ada") {
		t.Fatalf("A: state %v, output %q, error %q", a.state, a.output(), a.err)
	}
	if b.state != colFailed || !strings.Contains(b.err, "OPENAI_API_KEY") {
		t.Fatalf("B: state %v, error %q", b.state, b.err)
	}
	if !strings.Contains(d.m.status.full, "OPENAI_API_KEY") {
		t.Fatalf("status: %q", d.m.status.full)
	}
}

// TestCompareZoomHintOnlyUnzoomed: four narrow columns suggest the zoom
// key, unless the pane is zoomed already.
func TestCompareZoomHintOnlyUnzoomed(t *testing.T) {
	srv := fakeopenai.New(nil)
	defer srv.Close()
	d := newLiveDriver(t, greetWorkspace(t), fakeOptions(t, srv), 80, 24)
	d.openCompare("t/greet", 2)
	d.keys("aaj⏎Ada⏎R")
	d.until("four columns", func() bool { return len(d.m.compare.cols) == 4 && !d.m.compare.running() })
	d.mustShow("z: zoom for room")
	d.keys("z")
	if strings.Contains(d.screen(), "zoom for room") {
		t.Fatalf("zoomed, the pane still suggests zooming:\n%s", d.screen())
	}
}
