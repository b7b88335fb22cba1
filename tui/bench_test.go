package tui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"promptbench/workspace"
)

// Benchmarks of the UI's own work on a library of 10,000 prompts × 10
// versions, the size of the command line's benchmarks. The figures are
// reported, never asserted:
//
//	go test -run '^$' -bench . -benchtime 20x ./tui
//
// PROMPTBENCH_BENCH_DIR reuses the command line benchmarks' fixture
// ($PROMPTBENCH_BENCH_DIR/ws) instead of building one (a minute or two).

const (
	benchPrompts  = 10_000
	benchVersions = 10
)

var (
	benchOnce sync.Once
	benchDir  string
	benchTmp  string
	benchErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if benchTmp != "" {
		os.RemoveAll(benchTmp)
	}
	os.Exit(code)
}

// benchWorkspace opens the large library, building it once per run.
func benchWorkspace(b *testing.B) *workspace.Workspace {
	b.Helper()
	benchOnce.Do(func() {
		if root := os.Getenv("PROMPTBENCH_BENCH_DIR"); root != "" {
			benchDir = filepath.Join(root, "ws")
			if _, err := os.Stat(benchDir); err == nil {
				return
			}
		} else {
			benchTmp, benchErr = os.MkdirTemp("", "promptbench-tui-bench-")
			benchDir = filepath.Join(benchTmp, "ws")
		}
		if benchErr == nil {
			benchErr = buildBenchLibrary(benchDir)
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	ws, err := workspace.Open(benchDir, testOptions())
	if err != nil {
		b.Fatal(err)
	}
	return ws
}

// buildBenchLibrary builds the same library as cmd/promptbench's
// benchmarks: tags from two facets, two messages per version.
func buildBenchLibrary(dir string) error {
	ctx := context.Background()
	ws, _, err := workspace.Init(ctx, dir, testOptions())
	if err != nil {
		return err
	}
	purposes := []string{"support", "classification", "summarization", "extraction", "generation"}
	tones := []string{"formal", "friendly", "playful", "neutral"}
	return ws.Batch(ctx, func(batch *workspace.Batch) error {
		for i := range benchPrompts {
			tags, err := workspace.ParseTags([]string{"purpose:" + purposes[i%len(purposes)], "tone:" + tones[i%len(tones)]})
			if err != nil {
				return err
			}
			desc := fmt.Sprintf("Prompt number %d of the benchmark library", i)
			for v := range benchVersions {
				d := workspace.Draft{
					Messages: []workspace.Message{
						{Role: workspace.RoleSystem, Content: "You are a careful assistant for team {{team}}."},
						{Role: workspace.RoleUser, Content: fmt.Sprintf("Task %d, revision %d: handle {{input}} politely.", i, v)},
					},
					Config:      workspace.ModelConfig{Model: "openai/gpt-4o-mini"},
					Description: &desc,
					Tags:        tags,
					Message:     fmt.Sprintf("revision %d", v),
				}
				if err := batch.Commit(fmt.Sprintf("bench/prompt-%05d", i), d); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// keystroke is what a key costs until the next frame: Update, then the
// whole frame drawn. Cmds it returns run in the background in the
// program, so they are not counted here.
func (d *driver) keystroke(msg tea.KeyPressMsg) string {
	d.m.Update(msg)
	return d.m.render()
}

// reportCPU adds the CPU time per operation since start to the results.
func reportCPU(b *testing.B, start time.Duration) {
	if n := b.N; n > 0 {
		b.ReportMetric(float64((cpuTime()-start).Microseconds())/1000/float64(n), "cpu-ms/op")
	}
}

func keyOf(r rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: r, Text: string(r)} }

// BenchmarkFirstFrame: a new model to its first full frame: the library
// listed from the store, the tree built and drawn.
func BenchmarkFirstFrame(b *testing.B) {
	ws := benchWorkspace(b)
	defer reportCPU(b, cpuTime())
	for b.Loop() {
		d := newDriver(b, ws, 100, 30)
		if !strings.Contains(d.screen(), "10000 prompts") {
			b.Fatalf("no library in the frame:\n%s", d.screen())
		}
	}
}

// BenchmarkFilterKeystroke: one more character typed into the fuzzy
// filter over 10,000 prompts (all of which match what was typed before),
// to the redrawn frame. Each character is new to the filter's cache; the
// backspace after it is not counted.
func BenchmarkFilterKeystroke(b *testing.B) {
	d := newDriver(b, benchWorkspace(b), 100, 30)
	d.typeKeys("/prompt-0")
	filterTyping(b, d, "prompt-0")
}

// BenchmarkFilterFirstKey: the first character of a filter, which
// searches the whole library.
func BenchmarkFilterFirstKey(b *testing.B) {
	d := newDriver(b, benchWorkspace(b), 100, 30)
	d.typeKeys("/")
	filterTyping(b, d, "")
}

func filterTyping(b *testing.B, d *driver, typed string) {
	chars := "abcdefghijklmnopqrstuvwxyz0123456789"
	i := 0
	var cpu time.Duration
	for b.Loop() {
		c := rune(chars[i%len(chars)])
		delete(d.m.library.found, typed+string(c))
		start := cpuTime()
		d.keystroke(keyOf(c))
		cpu += cpuTime() - start
		b.StopTimer()
		d.keystroke(tea.KeyPressMsg{Code: tea.KeyBackspace})
		b.StartTimer()
		i++
	}
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

// BenchmarkMoveSelection: j in a tree node holding 2,000 prompts, to the
// redrawn frame (the selected version loads in the background).
func BenchmarkMoveSelection(b *testing.B) {
	d := newDriver(b, benchWorkspace(b), 100, 30)
	d.moveTo("support")
	d.press(tea.KeyEnter)
	d.typeKeys("jjj")
	i := 0
	defer reportCPU(b, cpuTime())
	for b.Loop() {
		if i%200 < 100 {
			d.keystroke(keyOf('j'))
		} else {
			d.keystroke(keyOf('k'))
		}
		i++
	}
}

// BenchmarkOpenPrompt: a selected version read from the store (version and
// log summaries), rendered with glamour and drawn; a different prompt
// each time, so the markdown cache never answers.
func BenchmarkOpenPrompt(b *testing.B) {
	d := newDriver(b, benchWorkspace(b), 100, 30)
	d.typeKeys("2")
	i := 0
	defer reportCPU(b, cpuTime())
	for b.Loop() {
		name := fmt.Sprintf("bench/prompt-%05d", (i*37)%benchPrompts)
		sel := selection{name: name, number: benchVersions}
		d.m.c.selected = sel
		d.m.prompt.sel = sel
		msg := loadPrompt(d.m.c, sel)()
		d.m.Update(msg)
		if frame := d.m.render(); !strings.Contains(frame, "revision 9") {
			b.Fatalf("prompt not shown:\n%s", d.screen())
		}
		i++
	}
}
