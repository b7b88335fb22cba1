package tui

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"promptbench/eval/dataset"
	"promptbench/eval/fakeopenai"
)

// bigRows is the number of good rows of the big dataset.
const bigRows = 1_000_000

// writeBig writes big.jsonl in the current directory: a million rows, a
// blank line after every 100,000th (so that lines are not row numbers)
// and a bad row at the end, on line 1,000,011.
func writeBig(t *testing.T) {
	t.Helper()
	f, err := os.Create("big.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	for i := 1; i <= bigRows; i++ {
		fmt.Fprintf(w, `{"id": "r%07d", "name": "Person %d"}`+"\n", i, i)
		if i%100_000 == 0 {
			w.WriteString("\n")
		}
	}
	w.WriteString(`{"id": "broken` + "\n")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// countingFile counts the bytes read from the files it opens.
type countingFile struct {
	*os.File
	read *atomic.Int64
}

func (f countingFile) Read(p []byte) (int, error) {
	n, err := f.File.Read(p)
	f.read.Add(int64(n))
	return n, err
}

// TestComparePickerJumpsFar: in a dataset of a million rows, G after the
// count reads the last page from the index's mark close before it (a few
// kilobytes, not the 40 MB before it), the index stays small, and the bad
// row at the end is reported at its line.
func TestComparePickerJumpsFar(t *testing.T) {
	here, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	writeBig(t)
	srv := fakeopenai.New(nil)
	defer srv.Close()
	m, err := New(context.Background(), Options{Store: greetWorkspace(t), Theme: "dark", Now: fixedNow,
		Location: "test", Compare: fakeOptions(t, srv)})
	if err != nil {
		t.Fatal(err)
	}
	m.c.tick = func(time.Duration, func(time.Time) tea.Msg) tea.Cmd { return nil }
	var read atomic.Int64
	m.compare.files.open = func(path string) (io.ReadSeekCloser, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		return countingFile{File: f, read: &read}, nil
	}
	p := &probe{Model: m}
	tm := teatest.NewTestModel(t, p, teatest.WithInitialTermSize(100, 30),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.ASCII)))
	wait := p.expect(func(m *Model) bool { return m.compare.setup.loaded && m.library.loaded })
	tm.Send(promptSelectedMsg{name: "t/greet", number: 2})
	tm.Send(focusMsg{id: paneCompare})
	wait(t, "the setup and the Library")
	wait = p.expectWithin(5*time.Minute, func(m *Model) bool {
		return pickerSettled(m) && strings.Contains(m.status.full, "big.jsonl:1000011:")
	})
	tm.Type("obig.jsonl")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	wait(t, "the rows counted and the bad one reported")
	pk := m.compare.picker
	if pk.total != bigRows || pk.index.Len() > 4096 {
		t.Fatalf("%d rows counted, %d marks kept", pk.total, pk.index.Len())
	}
	whole := read.Swap(0)
	wait = p.expect(func(m *Model) bool { return pickerSettled(m) && m.compare.picker.pick == bigRows-1 })
	tm.Type("G")
	wait(t, "the last rows")
	jump := read.Load()
	t.Logf("the count read %d bytes, G %d", whole, jump)
	if jump > 512<<10 {
		t.Fatalf("G read %d bytes; the count read %d", jump, whole)
	}
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*probe)
	p.settle(t)
	t.Chdir(here) // the golden file is in this package's testdata
	golden.RequireEqual(t, ansi.Strip(final.View().Content))
}

// TestComparePickerCountProgress: while a big file is counted the rows
// say how many are counted so far, and the count goes on from where it
// stopped.
func TestComparePickerCountProgress(t *testing.T) {
	t.Chdir(t.TempDir())
	writePeople(t, 300)
	srv := fakeopenai.New(nil)
	defer srv.Close()
	d := newLiveDriver(t, greetWorkspace(t), fakeOptions(t, srv), 100, 30)
	d.openCompare("t/greet", 2)
	d.keys("opeople.jsonl⏎")
	d.until("the rows counted", func() bool { return pickerSettled(d.m) })
	pk := d.m.compare.picker
	pk.total, pk.known, pk.counted = 0, false, false // as if still counting
	next := dataset.Mark{Row: 200, Offset: 9000, Line: 201}
	cmd := d.m.compare.rowCount(rowCountMsg{open: pk.open, total: 200, next: next})
	if cmd == nil {
		t.Fatal("the count stopped after its first part")
	}
	d.mustShow("row 1 of 200+ rows, counting…")
}

// TestComparePickerMissingFileSaysWhereFrom: a relative path that names
// no file is reported with the folder it was read from.
func TestComparePickerMissingFileSaysWhereFrom(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	srv := fakeopenai.New(nil)
	defer srv.Close()
	d := newLiveDriver(t, greetWorkspace(t), fakeOptions(t, srv), 100, 30)
	d.openCompare("t/greet", 2)
	d.keys("odatasets/people.jsonl⏎")
	d.until("the error", func() bool { return strings.Contains(d.m.status.full, "people.jsonl") })
	want := "read the dataset: open datasets/people.jsonl: no such file or directory (a relative path is read from " + dir + ")"
	if d.m.status.full != want {
		t.Fatalf("status %q, want %q", d.m.status.full, want)
	}
}

// TestComparePickerReadsFromTheWorkspace: a relative path that names no
// file from the current folder is read from the workspace folder, where
// init --demo puts its datasets.
func TestComparePickerReadsFromTheWorkspace(t *testing.T) {
	t.Chdir(t.TempDir())
	ws := t.TempDir()
	if err := os.Mkdir(filepath.Join(ws, "datasets"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ws, "datasets", "people.jsonl"), []byte(`{"id": "p1", "name": "Ada"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := fakeopenai.New(nil)
	defer srv.Close()
	o := fakeOptions(t, srv)
	o.Workspace = ws
	d := newLiveDriver(t, greetWorkspace(t), o, 100, 30)
	d.openCompare("t/greet", 2)
	d.keys("odatasets/people.jsonl⏎")
	d.until("the rows", func() bool { return pickerSettled(d.m) })
	d.mustShow("row 1 of 1 rows", "p1")
	d.keys("⏎")
	s := d.m.compare.setup
	if want := filepath.Join(ws, "datasets", "people.jsonl"); s.rowFrom != want || s.values["name"] != "Ada" {
		t.Fatalf("row from %q, name %q; want from %q", s.rowFrom, s.values["name"], want)
	}
}
