package workspace

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// newTestWorkspace makes a real workspace (real Badger store) in a temp dir
// with a fixed clock and author.
func newTestWorkspace(t testing.TB) *Workspace {
	t.Helper()
	dir := filepath.Join(t.TempDir(), DirName)
	clock := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	opts := Options{
		Getenv:  func(string) string { return "" },
		Now:     func() time.Time { clock = clock.Add(time.Minute); return clock },
		Command: "promptbench test",
		Author:  func() string { return "alice" },
		// The command line's wiring: the export file follows every change.
		AfterChange: func(ctx context.Context, ws *Workspace) error { return SyncExportFileForTest(ctx, ws) },
	}
	ws, created, err := Init(context.Background(), dir, opts)
	if err != nil || !created {
		t.Fatalf("Init: created=%v err=%v", created, err)
	}
	return ws
}

func text(s string) Draft { return Draft{Messages: []Message{{Role: RoleUser, Content: s}}} }

func mustCommit(t *testing.T, ws *Workspace, name string, d Draft) CommitResult {
	t.Helper()
	res, err := ws.Commit(context.Background(), name, d)
	if err != nil {
		t.Fatalf("commit %s: %v", name, err)
	}
	return res
}

func TestCommitRenderLabelHistory(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	tags, _ := ParseTags([]string{"purpose:humor"})
	d := text("Tell me a joke about {{topic}}.")
	d.Tags, d.Message = tags, "initial version"
	r1 := mustCommit(t, ws, "comedian", d)
	if r1.Version.Number != 1 || !r1.Created || r1.Version.Author != "alice" || r1.Version.Parent != 0 {
		t.Fatalf("first commit = %+v", r1)
	}
	if got := strings.Join(r1.Version.Variables, ","); got != "topic" {
		t.Fatalf("variables = %q", got)
	}
	r2 := mustCommit(t, ws, "comedian", text("Tell a {{#short}}short {{/short}}joke about {{topic}}."))
	if r2.Version.Number != 2 || r2.Version.Parent != 1 || r2.Created {
		t.Fatalf("second commit = %+v", r2.Version)
	}

	out, err := ws.Render(ctx, "comedian@1", map[string]any{"topic": "cats", "extra": 1})
	if err != nil {
		t.Fatal(err)
	}
	if out.Messages[0].Content != "Tell me a joke about cats." || strings.Join(out.Unused, ",") != "extra" {
		t.Fatalf("render = %+v", out)
	}
	_, err = ws.Render(ctx, "comedian", map[string]any{})
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "missing variables: short, topic") {
		t.Fatalf("render without vars: %v", err)
	}

	mv, err := ws.SetLabel(ctx, "comedian@1", "production")
	if err != nil || mv.From != 0 || mv.To != 1 {
		t.Fatalf("label: %+v %v", mv, err)
	}
	_, v, err := ws.Show(ctx, "comedian@production")
	if err != nil || v.Number != 1 {
		t.Fatalf("show @production = %d, %v", v.Number, err)
	}
	mv, err = ws.SetLabel(ctx, "comedian@2", "production")
	if err != nil || mv.From != 1 || mv.To != 2 {
		t.Fatalf("promote: %+v %v", mv, err)
	}
	_, v, err = ws.Show(ctx, "comedian@"+r1.Version.Hash[:8])
	if err != nil || v.Number != 1 {
		t.Fatalf("show by hash prefix = %d, %v", v.Number, err)
	}

	p, versions, err := ws.History(ctx, "comedian")
	if err != nil || len(versions) != 2 || p.Labels["production"] != 2 || p.Latest != 2 {
		t.Fatalf("history: %+v %d %v", p, len(versions), err)
	}
	events, err := ws.Audit(ctx, "comedian")
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range events {
		actions = append(actions, e.Action)
	}
	if strings.Join(actions, ",") != "commit,commit,label,label" {
		t.Fatalf("audit = %v", actions)
	}
}

func TestCommitRefusals(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	mustCommit(t, ws, "base", text("Hello {{name}}"))
	tests := []struct {
		name   string
		prompt string
		draft  Draft
		kind   error
		want   string
	}{
		{"identical content", "base", text("Hello {{name}}"), ErrUnchanged, "already has this exact content"},
		{"bad name", "Bad Name", text("x"), ErrInvalid, "prompt name"},
		{"unclosed tag", "new", text("Hello {{name"), ErrInvalid, "messages[0] (user)"},
		{"unknown include", "new", text("{{> ghost}}"), ErrInvalid, "ghost"},
		{"self include", "base", text("{{> base@1}} again"), ErrInvalid, "includes itself"},
		{"include without production label", "new", text("{{> base}}"), ErrInvalid, "no label \"production\""},
		{"unknown role", "new", Draft{Messages: []Message{{Role: "robot", Content: "x"}}}, ErrInvalid, "unknown role"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ws.Commit(ctx, tt.prompt, tt.draft)
			if !errors.Is(err, tt.kind) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want %v containing %q", err, tt.kind, tt.want)
			}
		})
	}
	// None of the refused commits changed the store.
	prompts, err := ws.List(ctx, Filter{})
	if err != nil || len(prompts) != 1 || prompts[0].Latest != 1 {
		t.Fatalf("store changed by refused commits: %+v %v", prompts, err)
	}
}

func TestIncludes(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	mustCommit(t, ws, "footer", text("Reply in {{language}}."))
	if _, err := ws.SetLabel(ctx, "footer@1", "production"); err != nil {
		t.Fatal(err)
	}
	mustCommit(t, ws, "reply", Draft{Messages: []Message{
		{Role: RoleSystem, Content: "You help {{customer.name}}.\n{{> footer}}"},
		{Role: RoleUser, Content: "{{question}}"},
	}})
	out, err := ws.Render(ctx, "reply", map[string]any{"customer": map[string]any{"name": "Ann"}, "language": "French", "question": "Hi?"})
	if err != nil {
		t.Fatal(err)
	}
	if out.Messages[0].Content != "You help Ann.\nReply in French." {
		t.Fatalf("rendered include = %q", out.Messages[0].Content)
	}
	_, err = ws.Render(ctx, "reply", map[string]any{"customer": map[string]any{}})
	if err == nil || !strings.Contains(err.Error(), "missing variables: customer.name, language, question") {
		t.Fatalf("missing names across messages and includes: %v", err)
	}
	// footer@2 including reply would close a cycle reply -> footer -> reply.
	if _, err := ws.SetLabel(ctx, "reply@1", "production"); err != nil {
		t.Fatal(err)
	}
	_, err = ws.Commit(ctx, "footer", text("{{> reply}}"))
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "include cycle: footer -> reply -> footer") {
		t.Fatalf("cycle: %v", err)
	}
}

func TestListByTagAndSearch(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	for _, c := range []struct{ name, tags, desc string }{
		{"a", "purpose:support,tone:formal", "Support reply"},
		{"b", "purpose:support", "Refund helper"},
		{"c", "purpose:humor", "Jokes"},
	} {
		tags, err := ParseTags(strings.Split(c.tags, ","))
		if err != nil {
			t.Fatal(err)
		}
		desc := c.desc
		mustCommit(t, ws, c.name, Draft{Messages: []Message{{Role: RoleUser, Content: c.name}}, Tags: tags, Description: &desc})
	}
	names := func(f Filter) string {
		ps, err := ws.List(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, p := range ps {
			out = append(out, p.Name)
		}
		return strings.Join(out, ",")
	}
	support, _ := ParseTags([]string{"purpose:support"})
	both, _ := ParseTags([]string{"purpose:support", "tone:formal"})
	if got := names(Filter{Tags: support}); got != "a,b" {
		t.Fatalf("tag filter = %s", got)
	}
	if got := names(Filter{Tags: both}); got != "a" {
		t.Fatalf("two tags = %s", got)
	}
	if got := names(Filter{Search: "REFUND"}); got != "b" {
		t.Fatalf("search = %s", got)
	}
	if got := names(Filter{}); got != "a,b,c" {
		t.Fatalf("all = %s", got)
	}
}

func TestStrictTaxonomy(t *testing.T) {
	ws := newTestWorkspace(t)
	ws.Config.Taxonomy = Taxonomy{Strict: true, Facets: map[string][]string{"tone": {"formal"}}}
	tags, _ := ParseTags([]string{"tone:rude"})
	d := text("x")
	d.Tags = tags
	if _, err := ws.Commit(context.Background(), "p", d); !errors.Is(err, ErrInvalid) {
		t.Fatalf("strict taxonomy accepted tone:rude: %v", err)
	}
	ws.Config.Taxonomy.Strict = false
	res := mustCommit(t, ws, "p", d)
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "rude") {
		t.Fatalf("warnings = %v", res.Warnings)
	}
}

func TestOpenRefusesNonWorkspace(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{dir, filepath.Join(dir, "missing"), filepath.Join(dir, "notes.txt")} {
		if _, err := Open(d, Options{}); !errors.Is(err, ErrNotWorkspace) {
			t.Errorf("Open(%s) = %v, want ErrNotWorkspace", d, err)
		}
	}
}

func TestConfigErrorsNameFileAndLine(t *testing.T) {
	tests := []struct{ name, data, want string }{
		{"unknown field", "providers:\n  - name: x\n    kind: openai\n    bse_url: http://x\n", "config.yaml:4:"},
		{"syntax", "taxonomy: [\n", "config.yaml:"},
		{"key instead of name", "providers:\n  - name: x\n    kind: openai\n    api_key_env: sk-abcdefghijklmnopqrstuvwxyz\n", "looks like a key"},
		{"duplicate provider", "providers:\n  - name: x\n  - name: x\n", "declared twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ParseConfig("config.yaml", []byte(tt.data))
			if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
		})
	}
	if _, _, err := ParseConfig("config.yaml", []byte(defaultConfig)); err != nil {
		t.Fatalf("the default config does not parse: %v", err)
	}
}

func TestLocate(t *testing.T) {
	root := t.TempDir()
	nested := filepath.Join(root, "a", "b")
	if err := os.MkdirAll(filepath.Join(root, DirName), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(nested, 0o755); err != nil {
		t.Fatal(err)
	}
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	got, _ := Locate("", nested, env(nil))
	if got != filepath.Join(root, DirName) {
		t.Fatalf("walk up = %s", got)
	}
	got, _ = Locate("", nested, env(map[string]string{"PROMPTBENCH_WORKSPACE": "/w"}))
	if got != "/w" {
		t.Fatalf("env = %s", got)
	}
	got, _ = Locate("/flag", nested, env(map[string]string{"PROMPTBENCH_WORKSPACE": "/w"}))
	if got != "/flag" {
		t.Fatalf("flag = %s", got)
	}
	got, _ = Locate("", "/", env(map[string]string{"XDG_DATA_HOME": "/data"}))
	if got != "/data/promptbench" {
		t.Fatalf("default = %s", got)
	}
}

func TestListByTagScansWhenManyMatch(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	support, _ := ParseTags([]string{"purpose:support"})
	other, _ := ParseTags([]string{"purpose:humor"})
	n := pointReadLimit + 50
	err := ws.Batch(ctx, func(b *Batch) error {
		for i := range 2 * n {
			d := text(fmt.Sprintf("prompt %d", i))
			d.Tags = other
			if i%2 == 0 {
				d.Tags = support
			}
			if err := b.Commit(fmt.Sprintf("p/%04d", i), d); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := ws.List(ctx, Filter{Tags: support})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != n {
		t.Fatalf("listed %d prompts, want %d", len(got), n)
	}
	for i, p := range got {
		if want := fmt.Sprintf("p/%04d", 2*i); p.Name != want || !p.HasTag(support[0]) {
			t.Fatalf("entry %d = %s %v, want %s", i, p.Name, p.Tags, want)
		}
	}
}

func TestCommitRefusesKeys(t *testing.T) {
	ws := newTestWorkspace(t)
	_, err := ws.Commit(context.Background(), "leaky", text("Use key sk-proj-abcdefghijklmnopqrstuvwx123456 for {{x}}"))
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "messages[0].content holds what looks like an API key") {
		t.Fatalf("error = %v", err)
	}
}

func TestLabelMoveRefusesIncludeCycle(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	label := func(ref string) error { _, err := ws.SetLabel(ctx, ref, "production"); return err }
	mustCommit(t, ws, "cyca", text("ca1"))
	if err := label("cyca@1"); err != nil {
		t.Fatal(err)
	}
	mustCommit(t, ws, "cycb", text("cb {{> cyca}}"))
	mustCommit(t, ws, "cycb", text("cb2"))
	if err := label("cycb@2"); err != nil {
		t.Fatal(err)
	}
	mustCommit(t, ws, "cyca", text("ca2 {{> cycb}}")) // cycb@production is 2: no cycle
	if err := label("cycb@1"); err != nil {           // cyca@production is 1: no cycle
		t.Fatal(err)
	}
	// cyca@2 includes cycb@production = 1, which includes cyca@production,
	// which the move would make 2: refused, and nothing moves.
	err := label("cyca@2")
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "include cycle: cyca -> cycb -> cyca") {
		t.Fatalf("error = %v", err)
	}
	p, _, err := ws.Show(ctx, "cyca")
	if err != nil || p.Labels["production"] != 1 {
		t.Fatalf("the refused move changed labels: %v %v", p.Labels, err)
	}
}

func TestLabelNamesThatReadAsRefs(t *testing.T) {
	ws := newTestWorkspace(t)
	mustCommit(t, ws, "p", text("x"))
	for _, label := range []string{"a5cf85", "latest", "3rd"} {
		if _, err := ws.SetLabel(context.Background(), "p@1", label); !errors.Is(err, ErrInvalid) {
			t.Errorf("label %q accepted: %v", label, err)
		}
	}
}

func TestHashPrefixOfRevertedContent(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	v1 := mustCommit(t, ws, "p", text("one")).Version
	mustCommit(t, ws, "p", text("two"))
	mustCommit(t, ws, "p", text("one")) // a revert: the same hash as v1
	_, v, err := ws.Show(ctx, "p@"+v1.Hash)
	if err != nil || v.Number != 3 {
		t.Fatalf("full hash of reverted content = %d, %v; want the newest, 3", v.Number, err)
	}
}
