package exchange

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"promptbench/storage"
	"promptbench/workspace"
)

func TestImportRefusesBadFiles(t *testing.T) {
	a := newTestWorkspace(t)
	mustCommit(t, a, "p", text("one {{x}}"))
	mustCommit(t, a, "p", text("two {{x}}"))
	good := exportString(t, a, ExportOptions{})
	replace := func(old, new string) string {
		if !strings.Contains(good, old) {
			t.Fatalf("fixture lacks %q", old)
		}
		return strings.Replace(good, old, new, 1)
	}
	lol := "schema: promptbench/v1\ntaxonomy:\n  facets:\n    a: &a [x, x, x, x, x, x, x, x, x]\n    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nprompts: []\n"
	tests := []struct {
		name, data, want string
	}{
		{"not yaml", "schema: [unclosed\n", "lib.yaml:1"},
		{"not a mapping", "just text\n", "lib.yaml"},
		{"parser panic", "schema: promptbench/v1\nprompts:\n- name: !0000\n00\n", "lib.yaml"},
		{"missing schema", strings.Replace(good, "schema: promptbench/v1\n", "", 1), "missing schema"},
		{"wrong schema", replace("schema: promptbench/v1", "schema: promptbench/v9"), `lib.yaml:1: schema "promptbench/v9"`},
		{"hash mismatch", replace(`content: "one {{x}}"`, `content: "uno {{x}}"`), "does not match"},
		{"parent missing", replace("parent: 1", "parent: 7"), "parent 7 does not exist"},
		{"duplicate number", replace("number: 2", "number: 1"), "duplicate version number 1"},
		{"unknown field", replace("    author: alice\n", "    author: alice\n    colour: red\n"), "unknown field"},
		{"unknown top-level field", good + "extra: 1\n", `unknown field "extra"`},
		{"bad slug", replace("- name: p\n", "- name: Bad Name\n"), "prompt name"},
		{"duplicate prompt", withoutAudit(good) + "\n" + withoutAudit(strings.SplitN(good, "prompts:\n", 2)[1]) + "\n", "appears twice"},
		{"alias bomb", lol, "lib.yaml:4: anchors and aliases"},
		{"alias in flow document", "{schema: promptbench/v1, prompts: &a [], logs: *a}", "anchors and aliases"},
		{"deep nesting", "schema: promptbench/v1\nprompts: " + strings.Repeat("[", 100000) + "\n", "nested"},
		{"deep indentation", "schema: promptbench/v1\ntaxonomy:\n" + strings.Repeat(" ", 2000) + "x: 1\n", "indented more than"},
		{"bad time", replace(`time: "2026-11-01T12:01:00Z"`, `time: "yesterday"`), "not RFC 3339"},
		{"label to missing version", replace("  versions:\n", "  labels:\n    production:\n      version: 9\n  versions:\n"), "does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newTestWorkspace(t)
			_, err := Import(context.Background(), b, "lib.yaml", strings.NewReader(tt.data), ImportOptions{})
			if !errors.Is(err, workspace.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v; want ErrInvalid with %q", err, tt.want)
			}
			if list, _ := b.List(context.Background(), workspace.Filter{}); len(list) != 0 {
				t.Fatalf("refused import left %d prompts", len(list))
			}
		})
	}
}

func TestImportErrorNamesLineAndField(t *testing.T) {
	a := newTestWorkspace(t)
	mustCommit(t, a, "p", text("one {{x}}"))
	good := exportString(t, a, ExportOptions{})
	bad := strings.Replace(good, `content: "one {{x}}"`, `content: "uno {{x}}"`, 1)
	line := strings.Count(bad[:strings.Index(bad, "hash:")], "\n") + 1
	_, err := Import(context.Background(), newTestWorkspace(t), "lib.yaml", strings.NewReader(bad), ImportOptions{})
	want := "lib.yaml:" + itoa(line) + ": versions[0].hash:"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("err = %v; want %q", err, want)
	}
}

func itoa(n int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + fmtInt(n)) }

func fmtInt(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return fmtInt(n/10) + string(rune('0'+n%10))
}

func TestExportRefusesSecrets(t *testing.T) {
	ws := newTestWorkspace(t)
	mustCommit(t, ws, "ok", text("fine"))
	// Commit refuses keys now, so write the kind of version a library made
	// before that check could still hold straight into the store.
	leaky := mustCommit(t, ws, "leaky", text("Call the API please")).Version
	leaky.Messages[0].Content = "Call the API with key sk-abcdefghijklmnopqrstuvwx please"
	_, err := ws.BulkWrite(context.Background(), func(st *storage.Store) error {
		b, err := json.Marshal(leaky)
		if err != nil {
			return err
		}
		return st.Update(func(tx *storage.Tx) error { return tx.PutVersion(leaky.Prompt, leaky.Number, b) })
	})
	if err != nil {
		t.Fatal(err)
	}
	err = Export(context.Background(), ws, &strings.Builder{}, ExportOptions{})
	if !errors.Is(err, workspace.ErrInvalid) || !strings.Contains(err.Error(), "leaky@1 messages[0].content") {
		t.Fatalf("err = %v", err)
	}
	if err := Export(context.Background(), ws, &strings.Builder{}, ExportOptions{Prompts: []string{"ok"}}); err != nil {
		t.Fatalf("export without the leaky prompt: %v", err)
	}
}

// TestImportCrashIsRolledBack leaves an import half-written, as a crash
// would, and checks that the next reader sees the library as before.
func TestImportCrashIsRolledBack(t *testing.T) {
	ctx := context.Background()
	a := newTestWorkspace(t)
	sampleLibrary(t, a)
	mustCommit(t, a, "greet", text("Hey {{name}}"))
	file := exportString(t, a, ExportOptions{})

	b := newTestWorkspace(t)
	mustCommit(t, b, "greet", text("Hello {{name}}"))
	before := exportString(t, b, ExportOptions{})
	// Write everything but the final step, then "crash": a panic leaves
	// the journal and the data as a killed process would.
	crash := errors.New("crash")
	func() {
		defer func() {
			if r := recover(); r != crash {
				panic(r)
			}
		}()
		_, err := b.BulkWrite(ctx, func(st *storage.Store) error {
			var im *importer
			err := st.View(func(tx *storage.Tx) error {
				var err error
				im, err = readImport(ctx, b, tx, "lib.yaml", strings.NewReader(file), ImportOptions{}, workspace.DefaultImportLimits())
				return err
			})
			if err != nil {
				return err
			}
			defer im.spill.close()
			m := im.m
			m.plan.File = "lib.yaml"
			return workspace.JournaledWrite(st, m.journal(), func() error {
				if err := m.writeBulk(st, im.spill); err != nil {
					return err
				}
				// The label moves and the file's audit events too: an
				// export reads those back, where a left-over would show
				// (and the retried import would add it a second time).
				bt := workspace.NewBatcher(st)
				for _, pc := range m.prompts {
					for _, ev := range pc.moves {
						if err := bt.Add(0, func(tx *storage.Tx) error { return workspace.AppendAudit(tx, ev) }); err != nil {
							return err
						}
					}
					if err := bt.Add(0, func(tx *storage.Tx) error {
						return workspace.AppendAudit(tx, workspace.AuditEvent{Action: workspace.AuditImport, Prompt: pc.name})
					}); err != nil {
						return err
					}
				}
				if err := m.writeAudit(bt); err != nil {
					return err
				}
				if err := bt.Flush(); err != nil {
					return err
				}
				panic(crash)
			})
		})
		t.Fatalf("the crash did not happen: %v", err)
	}()

	if after := exportString(t, b, ExportOptions{}); after != before {
		t.Fatalf("a reader saw the half import:\n%s", after)
	}
	events, _ := b.Audit(ctx, "")
	for _, e := range events {
		if e.Action == workspace.AuditImport {
			t.Fatalf("rolled-back import left audit event %+v", e)
		}
	}
	// The import then goes through as a whole, and leaves what it leaves
	// without the crash.
	plan := mustImport(t, b, file, ImportOptions{})
	if len(plan.NewVersions) != 5 || len(plan.Divergences) != 1 {
		t.Fatalf("plan after rollback = %+v", plan.NewVersions)
	}
	c := newTestWorkspace(t)
	mustCommit(t, c, "greet", text("Hello {{name}}"))
	mustImport(t, c, file, ImportOptions{})
	if got, want := exportString(t, b, ExportOptions{}), exportString(t, c, ExportOptions{}); got != want {
		t.Fatalf("the retried import left a library unlike one imported once:\n%s", lineDiff(want, got))
	}
}

// lineDiff lists the lines of got that differ from want's, for failures.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var out []string
	for i := 0; i < max(len(w), len(g)) && len(out) < 20; i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			out = append(out, fmt.Sprintf("line %d: want %q, got %q", i+1, a, b))
		}
	}
	return strings.Join(out, "\n")
}

// FuzzImport feeds the parse and validation step arbitrary bytes: it must
// never panic, and every refusal is ErrInvalid.
func FuzzImport(f *testing.F) {
	ws := newTestWorkspace(f)
	ctx := context.Background()
	for _, s := range []string{"p", "q/r"} {
		if _, err := ws.Commit(ctx, s, text("Hello {{name}}\nline two\n")); err != nil {
			f.Fatal(err)
		}
	}
	var sb strings.Builder
	if err := Export(ctx, ws, &sb, ExportOptions{}); err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(sb.String()))
	f.Add([]byte("schema: promptbench/v1\nprompts: []\n"))
	f.Add([]byte("schema: promptbench/v1\nprompts:\n- name: x\n  versions: []\n"))
	f.Add([]byte("a: &a [1]\nb: *a\n"))
	f.Add([]byte("schema: promptbench/v1\ntaxonomy: !0000\n00"))
	f.Add([]byte("schema: promptbench/v1\nprompts:\n- name: !0000\n00"))
	f.Add([]byte("schema: promptbench/v1\nprompts:\n  - name: p\n    versions:\n      - number: 1\n"))
	f.Add([]byte("schema: promptbench/v1\nprompts:\n- name: p\n  versions:\n  - number: 1\n  labels: {}\n"))
	// Small limits, so that the fuzzer reaches each of them.
	lim := workspace.DefaultImportLimits()
	lim.ItemBytes, lim.SectionBytes, lim.OtherLayoutBytes, lim.TextBytes = 4096, 1024, 2048, 512
	lim.Prompts, lim.Versions, lim.PromptVersions, lim.YAMLTokens, lim.OtherLayoutTokens = 3, 5, 3, 400, 400
	lim.SpillAfter = 64
	f.Fuzz(func(t *testing.T, data []byte) {
		err := ws.ViewStore(ctx, func(tx *storage.Tx) error {
			_, err := readImport(ctx, ws, tx, "fuzz.yaml", bytes.NewReader(data), ImportOptions{DryRun: true}, lim)
			return err
		})
		if err != nil && !errors.Is(err, workspace.ErrInvalid) {
			t.Fatalf("error is not ErrInvalid: %v", err)
		}
	})
}
