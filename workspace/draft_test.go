package workspace

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestDraftSurvivesAndIsOfferedAgain(t *testing.T) {
	ws := newTestWorkspace(t)
	res := mustCommit(t, ws, "support/reply", text("Hello {{name}}"))
	d := EditDraft{Prompt: "support/reply", BasedOn: res.Version.Hash, BasedOnNum: 1,
		Messages:    []Message{{Role: RoleSystem, Content: "Be brief."}, {Role: RoleUser, Content: "Hello {{name}}!"}},
		Config:      ModelConfig{Model: "echo/echo", MaxTokens: 50},
		Description: "replies", Tags: []string{"purpose:support", "tone:"}}
	saved, err := ws.SaveDraft(d)
	if err != nil {
		t.Fatal(err)
	}
	if saved.Saved.IsZero() {
		t.Fatal("saved draft has no time")
	}

	// A new process (a fresh Workspace on the same directory) finds it.
	again, err := Open(ws.Dir, ws.opts)
	if err != nil {
		t.Fatal(err)
	}
	drafts, bad, err := again.ListDrafts()
	if err != nil || len(bad) != 0 || len(drafts) != 1 {
		t.Fatalf("ListDrafts = %v, %v, %v", drafts, bad, err)
	}
	got := drafts[0]
	if got.Prompt != "support/reply" || got.BasedOn != res.Version.Hash || len(got.Messages) != 2 ||
		got.Messages[1].Content != "Hello {{name}}!" || got.Config.MaxTokens != 50 || got.Tags[1] != "tone:" || !got.Saved.Equal(saved.Saved) {
		t.Fatalf("draft read back differs: %+v", got)
	}
	loaded, err := again.LoadDraft("support/reply")
	if err != nil || loaded.Description != "replies" {
		t.Fatalf("LoadDraft = %+v, %v", loaded, err)
	}

	// Saving again replaces the draft whole.
	d.Messages = d.Messages[1:]
	if _, err := ws.SaveDraft(d); err != nil {
		t.Fatal(err)
	}
	if loaded, _ := ws.LoadDraft("support/reply"); len(loaded.Messages) != 1 {
		t.Fatalf("second save not read back: %+v", loaded)
	}

	if err := ws.DiscardDraft("support/reply"); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.LoadDraft("support/reply"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("LoadDraft after discard = %v, want ErrNotFound", err)
	}
	if err := ws.DiscardDraft("support/reply"); err != nil {
		t.Fatalf("discarding twice: %v", err)
	}
}

func TestCommitDraftDiscardsItOnlyOnSuccess(t *testing.T) {
	ws := newTestWorkspace(t)
	ctx := context.Background()
	d := EditDraft{Prompt: "fun/joke", Messages: []Message{{Role: RoleUser, Content: "A joke about {{topic}}"}},
		Tags: []string{"purpose:generation"}, Description: "jokes"}
	if _, err := ws.SaveDraft(d); err != nil {
		t.Fatal(err)
	}

	bad := d
	bad.Tags = []string{"::"}
	if _, err := ws.CommitDraft(ctx, bad, "first"); err == nil {
		t.Fatal("a draft with a bad tag committed")
	}
	if _, err := ws.LoadDraft("fun/joke"); err != nil {
		t.Fatalf("a failed commit lost the draft: %v", err)
	}

	res, err := ws.CommitDraft(ctx, d, "first")
	if err != nil {
		t.Fatal(err)
	}
	if res.Version.Number != 1 || res.Prompt.Description != "jokes" || !res.Prompt.HasTag(Tag{"purpose", "generation"}) {
		t.Fatalf("committed %+v", res)
	}
	if _, err := ws.LoadDraft("fun/joke"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("draft still there after its commit: %v", err)
	}
}

func TestBadDraftFilesAreNamedNotFatal(t *testing.T) {
	ws := newTestWorkspace(t)
	if _, err := ws.SaveDraft(EditDraft{Prompt: "good", Messages: []Message{{Role: RoleUser, Content: "x"}}}); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(ws.Dir, draftsDir)
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("broken.json", `{"format": "promptbench-draft/1", "prompt": `)
	write("future.json", `{"format": "promptbench-draft/9", "prompt": "future"}`)
	write("moved.json", `{"format": "promptbench-draft/1", "prompt": "other"}`)
	write(".good.json.123-abcd.tmp", `half`) // a write in progress
	write("notes.txt", `not a draft`)

	drafts, bad, err := ws.ListDrafts()
	if err != nil {
		t.Fatal(err)
	}
	if len(drafts) != 1 || drafts[0].Prompt != "good" {
		t.Fatalf("drafts = %+v", drafts)
	}
	var files []string
	for _, b := range bad {
		files = append(files, filepath.Base(b.File))
		if !strings.Contains(b.Error(), b.File) {
			t.Errorf("error %q does not name its file", b.Error())
		}
	}
	if strings.Join(files, " ") != "broken.json future.json moved.json" {
		t.Fatalf("bad files = %v", files)
	}
	var be *BadFileError
	if _, err := ws.LoadDraft("broken"); !errors.As(err, &be) || filepath.Base(be.File) != "broken.json" {
		t.Fatalf("LoadDraft(broken) = %v", err)
	}
	if _, err := ws.SaveDraft(EditDraft{Prompt: "Bad Name"}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("SaveDraft with a bad name = %v", err)
	}
}

func TestVarValuesRemembered(t *testing.T) {
	ws := newTestWorkspace(t)
	got, err := ws.LoadVarValues("fun/joke")
	if err != nil || len(got) != 0 {
		t.Fatalf("nothing remembered yet: %v, %v", got, err)
	}
	if err := ws.SaveVarValues("fun/joke", map[string]string{"topic": "cats", "style": "short\nand sweet"}); err != nil {
		t.Fatal(err)
	}
	if err := ws.SaveVarValues("fun/joke", map[string]string{"topic": "dogs"}); err != nil {
		t.Fatal(err)
	}
	got, err = ws.LoadVarValues("fun/joke")
	if err != nil || len(got) != 1 || got["topic"] != "dogs" {
		t.Fatalf("LoadVarValues = %v, %v", got, err)
	}
	if err := os.WriteFile(ws.VarValuesPath("other"), []byte("[1]"), 0o600); err != nil {
		t.Fatal(err)
	}
	var be *BadFileError
	if _, err := ws.LoadVarValues("other"); !errors.As(err, &be) || be.File != ws.VarValuesPath("other") {
		t.Fatalf("LoadVarValues of a bad file = %v", err)
	}
}

// TestDraftsStayOutOfGit: git sees neither drafts nor remembered values,
// also in a workspace whose .gitignore predates them.
func TestDraftsStayOutOfGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	ws := newTestWorkspace(t)
	if err := os.Remove(filepath.Join(ws.Dir, GitignoreName)); err != nil {
		t.Fatal(err)
	}
	if _, err := ws.SaveDraft(EditDraft{Prompt: "p"}); err != nil {
		t.Fatal(err)
	}
	if err := ws.SaveVarValues("p", map[string]string{"k": "v"}); err != nil {
		t.Fatal(err)
	}
	repo := filepath.Dir(ws.Dir)
	if out, err := exec.Command("git", "-C", repo, "init", "-q").CombinedOutput(); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
	}
	out, err := exec.Command("git", "-C", repo, "status", "--porcelain", "--untracked-files=all").Output()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "drafts") || strings.Contains(string(out), "vars") {
		t.Fatalf("git sees local files:\n%s", out)
	}
}
