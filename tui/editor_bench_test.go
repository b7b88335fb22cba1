package tui

import (
	"context"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"promptbench/workspace"
)

// Benchmarks of the History and Editor panes' own work per key, on a
// prompt of about 20 KB (two messages of 200 lines). Reported, never
// asserted:
//
//	go test -run '^$' -bench 'Editor|HistoryDiff' ./tui

func bigVersion(n int, change string) workspace.Version {
	var b strings.Builder
	for i := range 200 {
		b.WriteString("Line ")
		b.WriteString(strings.Repeat("of the system prompt with {{var}} and words ", 2))
		if i == 100 {
			b.WriteString(change)
		}
		b.WriteString("\n")
	}
	return workspace.Version{Prompt: "big", Number: n, Messages: []workspace.Message{
		{Role: "system", Content: b.String()}, {Role: "user", Content: b.String()}}}
}

// BenchmarkHistoryDiff renders the diff of two 20 KB versions, as moving
// the cursor in History does.
func BenchmarkHistoryDiff(b *testing.B) {
	d := newDriver(b, demoWorkspace(b), 100, 30)
	st := d.m.history.st
	a, c := bigVersion(1, ""), bigVersion(2, "changed")
	for _, words := range []bool{false, true} {
		name := "lines"
		if words {
			name = "words"
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				renderDiff(workspace.Diff(a, c), words, st, 66)
			}
		})
	}
}

// BenchmarkEditorKeystroke types one character into a 20 KB message:
// the textarea's update plus the form's check and the save scheduling.
func BenchmarkEditorKeystroke(b *testing.B) {
	ws := demoWorkspace(b)
	v := bigVersion(1, "")
	if _, err := ws.Commit(context.Background(), "big", workspace.Draft{Messages: v.Messages, Message: "big"}); err != nil {
		b.Fatal(err)
	}
	d := newDriver(b, ws, 100, 30)
	pr, _, err := ws.Show(context.Background(), "big")
	if err != nil {
		b.Fatal(err)
	}
	d.send(selection{name: pr.Name, number: pr.Latest, hash: pr.LatestHash})
	d.typeKeys("4")
	d.press(tea.KeyEnter)
	key := tea.KeyPressMsg{Code: 'x', Text: "x"}
	for b.Loop() {
		d.send(key)
	}
}
