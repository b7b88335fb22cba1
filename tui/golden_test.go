package tui

import (
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"strings"
)

// Golden frames of the whole program at 100×30 on the demo library, plain
// text (ASCII profile, fixed clock). Refresh after a deliberate change:
//
//	go test ./tui -run Golden -update

// watched wraps the root model so a test can wait for what the model
// draws, not for bytes the renderer chose to repaint.
type watched struct {
	*Model
	mu    sync.Mutex
	frame string
}

func (w *watched) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := w.Model.Update(msg)
	frame := ansi.Strip(w.Model.render())
	w.mu.Lock()
	w.frame = frame
	w.mu.Unlock()
	return w, cmd
}

// waitFor waits until the frame shows every text.
func (w *watched) waitFor(t *testing.T, texts ...string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		w.mu.Lock()
		frame := w.frame
		w.mu.Unlock()
		missing := ""
		for _, s := range texts {
			if !strings.Contains(frame, s) {
				missing = s
				break
			}
		}
		if missing == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("frame never showed %q:\n%s", missing, frame)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func startProgram(t *testing.T) (*teatest.TestModel, *watched) {
	t.Helper()
	return startProgramOn(t, demoWorkspace(t))
}

// startProgramOn is startProgram on a workspace the test prepared.
func startProgramOn(t *testing.T, st Store) (*teatest.TestModel, *watched) {
	t.Helper()
	m, err := New(t.Context(), Options{Store: st, Theme: "dark", Now: fixedNow, Location: "demo"})
	if err != nil {
		t.Fatal(err)
	}
	w := &watched{Model: m}
	tm := teatest.NewTestModel(t, w, teatest.WithInitialTermSize(100, 30),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.ASCII)))
	w.waitFor(t, "12 prompts")
	return tm, w
}

func keys(tm *teatest.TestModel, s string) {
	for _, r := range s {
		tm.Send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func press(tm *teatest.TestModel, code rune) { tm.Send(tea.KeyPressMsg{Code: code}) }

func finalFrame(t *testing.T, tm *teatest.TestModel) string {
	t.Helper()
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*watched)
	return ansi.Strip(final.View().Content)
}

func TestGoldenLibrary(t *testing.T) {
	tm, w := startProgram(t)
	keys(tm, "jjjjjjjjjjj") // down to purpose → support
	w.waitFor(t, "›  ▸ support")
	press(tm, tea.KeyEnter)
	keys(tm, "jj")
	w.waitFor(t, "›        reply", "support/reply @3")
	golden.RequireEqual(t, finalFrame(t, tm))
}

func TestGoldenPrompt(t *testing.T) {
	tm, w := startProgram(t)
	keys(tm, "/reply")
	w.waitFor(t, "/ reply")
	press(tm, tea.KeyEnter)
	press(tm, tea.KeyEnter)
	w.waitFor(t, "support/reply @3", "USER")
	keys(tm, "z")
	w.waitFor(t, "Ticket:")
	golden.RequireEqual(t, finalFrame(t, tm))
}
