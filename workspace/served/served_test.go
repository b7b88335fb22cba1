package served_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"promptbench/testdata"
	"promptbench/workspace"
	"promptbench/workspace/exchange"
	"promptbench/workspace/served"
)

func demoFile(t testing.TB) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "prompts.yaml")
	if err := os.WriteFile(path, testdata.DemoLibrary, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

var supportVars = map[string]any{"company": "Acme", "customer": map[string]any{"name": "Ann"}, "ticket": "Where is my refund?"}

// TestRendersAsTheWorkbenchDoes renders every version of every demo prompt
// both here and through a workspace that imported the same file: the same
// messages, or the same missing variables.
func TestRendersAsTheWorkbenchDoes(t *testing.T) {
	ctx := context.Background()
	ws, _, err := workspace.Init(ctx, t.TempDir(), workspace.Options{Author: func() string { return "t" }})
	if err != nil {
		t.Fatal(err)
	}
	path := demoFile(t)
	if _, err := exchange.Import(ctx, ws, path, strings.NewReader(string(testdata.DemoLibrary)), exchange.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	lib, err := served.Open(path, served.Options{})
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]any{"company": "Acme", "customer": map[string]any{"name": "Ann"}, "ticket": "x", "topic": "cats", "style": "short",
		"text": "t", "article": "a", "notes": "n", "question": "q", "schema": "s", "language": "fr", "product": "p", "code": "c", "invoice": "i", "output": "o", "input": "i", "criteria": "c"}
	names := lib.Names()
	slices.Sort(names)
	checked := 0
	for _, name := range names {
		_, hist, err := ws.History(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range hist {
			ref := fmt.Sprintf("%s@%d", name, v.Number)
			want, werr := ws.Render(ctx, ref, vars)
			got, gerr := lib.Render(ref, vars)
			if (werr == nil) != (gerr == nil) {
				t.Fatalf("%s: workspace error %v, served error %v", ref, werr, gerr)
			}
			if werr != nil {
				var wm *workspace.MissingVariablesError
				var gm *served.MissingVariablesError
				if errors.As(werr, &wm) != errors.As(gerr, &gm) || wm != nil && !slices.Equal(wm.Names, gm.Names) {
					t.Fatalf("%s: workspace %v, served %v", ref, werr, gerr)
				}
				continue
			}
			if !slices.Equal(want.Messages, got.Messages) || want.Version.Hash != got.Hash {
				t.Fatalf("%s renders differently:\nworkspace %q\nserved    %q", ref, want.Messages, got.Messages)
			}
			checked++
		}
	}
	if checked < 12 {
		t.Fatalf("only %d versions rendered", checked)
	}
}

func TestRefs(t *testing.T) {
	lib, err := served.Open(demoFile(t), served.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for ref, want := range map[string]int{
		"support/reply": 2, "support/reply@production": 2, "support/reply@staging": 3,
		"support/reply@1": 1, "support/reply@e70056b8": 3,
	} {
		r, err := lib.Render(ref, supportVars)
		if err != nil || r.Version != want {
			t.Errorf("%s: version %d, %v; want %d", ref, r.Version, err, want)
		}
	}
	if v, err := lib.Get("support/reply@staging"); err != nil || v.Number != 3 || !strings.Contains(v.Messages[0].Content, "{{> support/style}}") {
		t.Errorf("Get: %+v, %v", v, err)
	}
	for _, ref := range []string{"nope", "support/reply@9", "support/reply@canary"} {
		if _, err := lib.Render(ref, supportVars); !errors.Is(err, served.ErrNotFound) {
			t.Errorf("%s: %v, want ErrNotFound", ref, err)
		}
	}
	_, err = lib.Render("support/reply", map[string]any{"ticket": "x"})
	var me *served.MissingVariablesError
	if !errors.As(err, &me) || !errors.Is(err, served.ErrInvalid) || strings.Join(me.Names, ",") != "company,customer.name" {
		t.Errorf("missing variables: %v", err)
	}
	// One type for the workbench and applications: code that handles the
	// workbench's error (the CLI's wording, an evaluation's report)
	// handles the library's.
	var wm *workspace.MissingVariablesError
	if !errors.As(err, &wm) || wm.Prompt != "support/reply" || wm.Version != 2 || !errors.Is(err, workspace.ErrInvalid) {
		t.Errorf("served's missing variables as the workbench's: %v", err)
	}
}

func TestMissingOrCorruptFile(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("schema: promptbench/v1\nprompts:\n- name: a\n  versions:\n  - number: 1\n    messages: [oops\n"), 0o644)
	for _, c := range []struct{ path, want string }{
		{filepath.Join(dir, "missing.yaml"), "no such file"},
		{bad, "bad.yaml:"},
	} {
		lib, err := served.Open(c.path, served.Options{})
		if lib != nil || err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Open(%s) = %v, %v; want an error naming %q", c.path, lib, err, c.want)
		}
		fb := served.Fallback{Messages: []served.Message{{Role: "user", Content: "Help {{name}}."}}, Config: served.ModelConfig{Model: "openai/gpt-4o-mini"}}
		lib, err = served.Open(c.path, served.Options{Fallbacks: map[string]served.Fallback{"support/reply": fb}})
		if lib == nil || err == nil {
			t.Fatalf("Open with a fallback = %v, %v; want the library and the error", lib, err)
		}
		r, err := lib.Render("support/reply", map[string]any{"name": "Ann"})
		if err != nil || !r.Fallback || r.Messages[0].Content != "Help Ann." || r.Model() != "gpt-4o-mini" {
			t.Errorf("fallback render = %+v, %v", r, err)
		}
		if _, err := lib.Render("other", nil); !errors.Is(err, served.ErrNotFound) {
			t.Errorf("a prompt without fallback: %v", err)
		}
	}
}

// TestWatchReloadsAtomically replaces the file with a bad one (the good
// one stays served, the error is reported once) and then a good new one.
func TestWatchReloadsAtomically(t *testing.T) {
	path := demoFile(t)
	errs := make(chan error, 10)
	lib, err := served.Open(path, served.Options{OnReload: func(err error) { errs <- err }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go lib.Watch(ctx, 5*time.Millisecond)
	replace := func(data []byte) {
		tmp := path + ".tmp"
		if err := os.WriteFile(tmp, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, path); err != nil {
			t.Fatal(err)
		}
	}
	replace([]byte("schema: promptbench/v1\nprompts:\n- name: [\n"))
	if err := <-errs; err == nil || !strings.Contains(err.Error(), "prompts.yaml:3") {
		t.Fatalf("reload of a bad file reported %v", err)
	}
	if r, err := lib.Render("support/reply", supportVars); err != nil || r.Version != 2 {
		t.Fatalf("after a bad reload: %+v, %v; want the last good file", r, err)
	}
	moved := strings.Replace(string(testdata.DemoLibrary), "    production:\n      version: 2\n      history:\n      - version: 2\n        author: bob", "    production:\n      version: 3\n      history:\n      - version: 3\n        author: bob", 1)
	replace([]byte(moved))
	if err := <-errs; err != nil {
		t.Fatalf("reload of a good file: %v", err)
	}
	if r, err := lib.Render("support/reply", supportVars); err != nil || r.Version != 3 {
		t.Fatalf("after a good reload: version %d, %v; want 3", r.Version, err)
	}
}
