//go:build unix

package tui

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"promptbench/eval/fakeopenai"
)

// viewCounter counts the frames the program asks for.
type viewCounter struct {
	*probe
	views atomic.Int64
}

func (v *viewCounter) View() tea.View {
	v.views.Add(1)
	return v.probe.View()
}

func (v *viewCounter) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := v.probe.Update(msg)
	return v, cmd
}

// BenchmarkCompareStreaming4x200 runs four variants streaming 200 tokens
// a second each (600 tokens) through the real program and renderer, and
// reports the frames drawn per second and the process's CPU use (the
// in-process fake server and HTTP client included) while they stream.
// Run it with -benchtime 1x: each iteration streams for three seconds.
func BenchmarkCompareStreaming4x200(b *testing.B) {
	words := strings.Repeat("token ", 600)
	srv := fakeopenai.NewUnrecorded(func(int, *fakeopenai.Request) fakeopenai.Reply {
		return fakeopenai.Reply{Content: words, ChunkDelay: 5 * time.Millisecond}
	})
	defer srv.Close()
	for b.Loop() {
		ws := greetWorkspace(b)
		m, err := New(b.Context(), Options{Store: ws, Theme: "dark", Now: time.Now, Location: "bench",
			Compare: fakeOptions(b, srv)})
		if err != nil {
			b.Fatal(err)
		}
		v := &viewCounter{probe: &probe{Model: m}}
		tm := teatest.NewTestModel(b, v, teatest.WithInitialTermSize(160, 40),
			teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.ASCII)))
		tm.Send(promptSelectedMsg{name: "t/greet", number: 2})
		tm.Send(focusMsg{id: paneCompare})
		v.await(b, "the setup", func(m *Model) bool { return m.compare.setup.loaded })
		tm.Send(tea.KeyPressMsg{Code: 'z', Text: "z"}) // zoom: room for four columns
		tm.Type("jj")
		tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
		tm.Type("Ada")
		tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
		// Four distinct variants: both versions, each with both models.
		tm.Type("kkaa")
		tm.Type("]]k]]")
		v.await(b, "four variants", func(m *Model) bool { return len(m.compare.setup.choices) == 4 })
		startViews, startCPU, start := v.views.Load(), cpuTime(), time.Now()
		tm.Type("R")
		v.await(b, "four outputs", func(m *Model) bool {
			c := m.compare
			return len(c.cols) == 4 && !c.running()
		})
		wall, cpu, views := time.Since(start), cpuTime()-startCPU, v.views.Load()-startViews
		if err := tm.Quit(); err != nil {
			b.Fatal(err)
		}
		tm.WaitFinished(b, teatest.WithFinalTimeout(10*time.Second))
		for _, col := range m.compare.cols {
			if col.state != colDone || len(strings.Fields(col.output())) != 600 {
				b.Fatalf("column %s: state %v, %d words", col.id, col.state, len(strings.Fields(col.output())))
			}
		}
		b.ReportMetric(float64(views)/wall.Seconds(), "frames/s")
		b.ReportMetric(100*cpu.Seconds()/wall.Seconds(), "cpu%")
		b.ReportMetric(wall.Seconds(), "stream-s")
	}
}
