package tui

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"promptbench/eval/fakeopenai"
)

// writePeople writes n rows to people.jsonl in the current directory.
func writePeople(t *testing.T, n int) {
	t.Helper()
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, `{"id": "p%04d", "name": "Person %d"}`+"\n", i, i)
	}
	if err := os.WriteFile("people.jsonl", []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// pickerSettled: the picker is counted and every row it shows is read.
func pickerSettled(m *Model) bool {
	pk := m.compare.picker
	if !m.compare.picking() || !pk.counted || len(pk.asked) > 0 {
		return false
	}
	first, room := m.compare.pickWindow()
	for i := first; i < min(first+room, pk.total); i++ {
		if _, ok := pk.row(i); !ok {
			return false
		}
	}
	return true
}

// TestComparePickerWholeDataset is the dataset picker at the end of a
// 3,000-row file: every row can be reached, the count is shown, and the
// picker holds a few pages of rows, not the file.
func TestComparePickerWholeDataset(t *testing.T) {
	here, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir()) // the path on screen is the same on every machine
	writePeople(t, 3000)
	srv := fakeopenai.New(nil)
	defer srv.Close()
	m, err := New(context.Background(), Options{Store: greetWorkspace(t), Theme: "dark", Now: fixedNow,
		Location: "test", Compare: fakeOptions(t, srv)})
	if err != nil {
		t.Fatal(err)
	}
	m.c.tick = func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }
	p := &probe{Model: m}
	tm := teatest.NewTestModel(t, p, teatest.WithInitialTermSize(100, 30),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.ASCII)))
	wait := p.expect(func(m *Model) bool { return m.compare.setup.loaded && m.library.loaded })
	tm.Send(promptSelectedMsg{name: "t/greet", number: 2})
	tm.Send(focusMsg{id: paneCompare})
	wait(t, "the setup and the Library")
	wait = p.expect(func(m *Model) bool { return pickerSettled(m) && m.compare.picker.total == 3000 })
	tm.Type("o")
	tm.Type("people.jsonl")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	wait(t, "the rows counted")
	wait = p.expect(func(m *Model) bool { return pickerSettled(m) && m.compare.picker.pick == 2999 })
	tm.Type("G")
	wait(t, "the last rows")
	most := 0
	wait = p.expect(func(m *Model) bool {
		most = max(most, len(m.compare.picker.pages))
		return pickerSettled(m) && m.compare.picker.pick == 2999-3*m.compare.pickRoom()-2
	})
	for range 3 {
		tm.Send(tea.KeyPressMsg{Code: tea.KeyPgUp})
	}
	tm.Type("kk")
	wait(t, "the rows above")
	if most > pickPagesKept {
		t.Fatalf("the picker held %d pages of %d rows", most, pickPage)
	}
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*probe)
	p.settle(t)
	t.Chdir(here) // the golden file is in this package's testdata
	golden.RequireEqual(t, ansi.Strip(final.View().Content))
}

// TestComparePickerTakesAFarRow: a row far past the first pages is taken
// as the run's variables and reaches the model.
func TestComparePickerTakesAFarRow(t *testing.T) {
	t.Chdir(t.TempDir())
	writePeople(t, 3000)
	srv := fakeopenai.New(nil)
	defer srv.Close()
	ws := greetWorkspace(t)
	d := newLiveDriver(t, ws, fakeOptions(t, srv), 100, 30)
	d.openCompare("t/greet", 2)
	d.keys("opeople.jsonl⏎")
	d.until("the rows counted", func() bool { return pickerSettled(d.m) })
	d.mustShow("row 1 of 3,000 rows", "p0001")
	// Held down, pgdn passes 27 pages: only those near where it stops
	// are still being read (the driver takes no answer in between).
	for range 150 {
		d.send(tea.KeyPressMsg{Code: tea.KeyPgDown})
	}
	if n := len(d.m.compare.picker.asked); n > pickPagesKept {
		t.Fatalf("%d pages still being read after holding pgdn", n)
	}
	d.until("the rows read", func() bool { return pickerSettled(d.m) })
	want := d.m.compare.picker.pick + 1
	id := fmt.Sprintf("p%04d", want)
	d.mustShow(fmt.Sprintf("row %s of 3,000 rows", groupDigits(want)), id)
	d.keys("⏎")
	d.mustShow("Variables from row " + id + " of people.jsonl")
	d.keys("R")
	d.until("both outputs", d.allSettled)
	if got, wantOut := d.m.compare.cols[1].output(), fmt.Sprintf("You said: Hello Person %d", want); got != wantOut {
		t.Fatalf("output %q, want %q", got, wantOut)
	}
}

// TestComparePickerBadRow: a bad row far into the file is reported with
// its line; the rows before it can still be picked, none after.
func TestComparePickerBadRow(t *testing.T) {
	t.Chdir(t.TempDir())
	var b strings.Builder
	for i := 1; i <= 400; i++ {
		if i == 250 {
			b.WriteString("{\"id\": \"broken\n")
			continue
		}
		fmt.Fprintf(&b, `{"id": "p%04d", "name": "Person %d"}`+"\n", i, i)
	}
	if err := os.WriteFile("people.jsonl", []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := fakeopenai.New(nil)
	defer srv.Close()
	d := newLiveDriver(t, greetWorkspace(t), fakeOptions(t, srv), 100, 30)
	d.openCompare("t/greet", 2)
	d.keys("opeople.jsonl⏎")
	d.until("the rows counted and the error", func() bool {
		return pickerSettled(d.m) && strings.Contains(d.m.status.full, "people.jsonl:250")
	})
	d.mustShow("row 1 of 249 rows before a bad one")
	d.keys("G")
	d.until("the last good rows", func() bool { return pickerSettled(d.m) })
	d.mustShow("row 249 of 249", "p0249")
	d.keys("j⏎")
	d.mustShow("Variables from row p0249 of people.jsonl")
}

// TestComparePickerMovesWhileCounting: rows that arrive while the file is
// still being counted leave the cursor where the keys put it.
func TestComparePickerMovesWhileCounting(t *testing.T) {
	t.Chdir(t.TempDir())
	writePeople(t, 3000)
	srv := fakeopenai.New(nil)
	defer srv.Close()
	d := newLiveDriver(t, greetWorkspace(t), fakeOptions(t, srv), 100, 30)
	d.openCompare("t/greet", 2)
	d.keys("opeople.jsonl⏎")
	d.until("the first rows", d.m.compare.picking)
	pk := d.m.compare.picker
	pk.open++ // the count's answer is now stale: as if it were still counting
	pk.total, pk.known, pk.counted = 0, false, false
	for range 20 {
		d.send(tea.KeyPressMsg{Code: tea.KeyPgDown})
	}
	want := pk.pick
	if want < 300 {
		t.Fatalf("20 pages down went to row %d", want)
	}
	for i, cancel := range pk.asked { // the pages asked under the old number
		cancel()
		delete(pk.asked, i)
	}
	d.send(tea.KeyPressMsg{Code: 'j', Text: "j"})
	d.until("the rows around the cursor", func() bool { _, ok := pk.row(pk.pick); return ok && len(pk.asked) == 0 })
	if pk.pick != want+1 {
		t.Fatalf("cursor on row %d after the rows came, want %d", pk.pick, want+1)
	}
}
