package tui

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	tea "charm.land/bubbletea/v2"

	"promptbench/workspace"
)

// Every demo prompt written for $EDITOR reads back as the same draft.
func TestPromptYAMLRoundTrip(t *testing.T) {
	ws := demoWorkspace(t)
	ctx := context.Background()
	prompts, err := ws.List(ctx, workspace.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, pr := range prompts {
		t.Run(pr.Name, func(t *testing.T) {
			pr, v, err := ws.Show(ctx, pr.Name)
			if err != nil {
				t.Fatal(err)
			}
			base := baseDraft(pr, v)
			text, err := promptYAML(base)
			if err != nil {
				t.Fatal(err)
			}
			parsed, err := workspace.ParsePromptFile("p.yaml", []byte(text), false)
			if err != nil {
				t.Fatalf("%v\n%s", err, text)
			}
			back := base
			back.Messages, back.Config, back.Scorers = parsed.Messages, parsed.Config, parsed.Scorers
			back.Description, back.Tags = *parsed.Description, workspace.TagStrings(parsed.Tags)
			if !sameDraft(base, back) {
				t.Fatalf("read back differs:\n%s\n%+v\n%+v", text, base, back)
			}
		})
	}
}

// fakeEditor writes a script usable as $EDITOR that runs shell on the
// file it is given ($1).
func fakeEditor(t *testing.T, shell string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "editor.sh")
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+shell+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestExternalEditorRoundTrip(t *testing.T) {
	t.Setenv("VISUAL", "")
	t.Setenv("EDITOR", fakeEditor(t, `sed -e 's/Answer the customer/Answer the valued customer/' -e 's/^temperature: .*/temperature: 0.7/' "$1" > "$1.new" && mv "$1.new" "$1"`))
	tm, w := startProgram(t)
	settle(t, w)
	pr, _, err := w.c.store.Show(context.Background(), "support/reply")
	if err != nil {
		t.Fatal(err)
	}
	tm.Send(selection{name: pr.Name, number: pr.Latest, hash: pr.LatestHash})
	keys(tm, "4")
	w.waitFor(t, "support/reply · editing v3 · unchanged")
	keys(tm, "e")
	w.waitFor(t, "edits from $EDITOR taken", "Answer the valued cus", "temperature 0.7", "editing v3 · edited")

	// A file that no longer parses keeps the form and says why.
	t.Setenv("EDITOR", fakeEditor(t, `printf 'messages: [\n' > "$1"`))
	keys(tm, "e")
	w.waitFor(t, "✗ $EDITOR:", "e opens your text again", "Answer the valued cus")
	// e opens the broken text again, not the form.
	t.Setenv("EDITOR", fakeEditor(t, `grep -q 'messages: \[' "$1" && printf 'messages:\n  - role: user\n    content: fixed\n' > "$1"`))
	keys(tm, "e")
	w.waitFor(t, "edits from $EDITOR taken", "│ fixed")
	tm.Send(tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl})
	w.waitFor(t, "message:")
	keys(tm, "From the editor")
	press(tm, tea.KeyEnter)
	w.waitFor(t, "committed support/reply@4")
	_, v, err := w.c.store.Show(context.Background(), "support/reply")
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Messages) != 1 || v.Messages[0].Content != "fixed" || v.Message != "From the editor" {
		t.Fatalf("committed %+v", v)
	}
	finalFrame(t, tm)
}

// The form of every demo version reads back as the version: opening a
// prompt never shows edits that were not made.
func TestFormRoundTrip(t *testing.T) {
	ws := demoWorkspace(t)
	ctx := context.Background()
	prompts, err := ws.List(ctx, workspace.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, ws, 100, 30)
	for _, pr := range prompts {
		_, versions, err := ws.History(ctx, pr.Name)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range versions {
			base := baseDraft(pr, v)
			form := newForm(d.m.c.styles, base)
			got, errs := form.draft(base)
			if errs.any() || !sameDraft(got, base) || workspace.ContentHash(got.Messages, got.Config) != v.Hash {
				t.Errorf("%s@%d: errors %+v, read back %+v", pr.Name, v.Number, errs, got.Config)
			}
		}
	}
}

func TestParseStop(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		bad  bool
	}{
		{``, nil, false},
		{`"\n\n" END "a b"`, []string{"\n\n", "END", "a b"}, false},
		{`";"`, []string{";"}, false},
		{`"open`, nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseStop(tc.in)
			if (err != nil) != tc.bad {
				t.Fatalf("err %v", err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("got %q, want %q", got, tc.want)
				}
			}
		})
	}
}
