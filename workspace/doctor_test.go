package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"promptbench/storage"
	"promptbench/testdata"
)

// plant damages the store of ws directly, as a crash, a bug of an older
// binary or a hand edit would: the test-only way in under the domain.
func plant(t *testing.T, ws *Workspace, fn func(tx *storage.Tx) error) {
	t.Helper()
	st, err := storage.Open(context.Background(), ws.storeOptions(false))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Update(fn); err != nil {
		t.Fatalf("plant damage: %v", err)
	}
}

func demoWorkspace(t *testing.T) *Workspace {
	t.Helper()
	ws := newTestWorkspace(t)
	mustImport(t, ws, string(testdata.DemoLibrary))
	return ws
}

func doctor(t *testing.T, ws *Workspace, repair bool) DoctorReport {
	t.Helper()
	rep, err := ws.Doctor(context.Background(), repair)
	if err != nil {
		t.Fatalf("Doctor(repair=%v): %v", repair, err)
	}
	return rep
}

// names gives each problem as "kind subject", sorted, for comparisons.
func names(problems []Problem) []string {
	out := make([]string, 0, len(problems))
	for _, p := range problems {
		s := p.Kind + " " + p.Prompt
		if p.Version > 0 {
			s += fmt.Sprintf("@%d", p.Version)
		}
		for _, x := range []string{p.Label, p.Tag, p.Field} {
			if x != "" {
				s += " " + x
			}
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// editPrompt rewrites a prompt record through fn.
func editPrompt(name string, fn func(*Prompt)) func(*storage.Tx) error {
	return func(tx *storage.Tx) error {
		p, err := GetPrompt(tx, name)
		if err != nil {
			return err
		}
		fn(&p)
		return putPrompt(tx, p)
	}
}

// editVersion rewrites a version record through fn, hash untouched.
func editVersion(name string, n int, fn func(*Version)) func(*storage.Tx) error {
	return func(tx *storage.Tx) error {
		v, err := getVersion(tx, name, n)
		if err != nil {
			return err
		}
		fn(&v)
		return putVersion(tx, v)
	}
}

func logJSON(prompt string, n int, id, source string) []byte {
	b, _ := json.Marshal(LogEntry{ID: id, Prompt: prompt, Version: n, Source: source, Output: "ok", Time: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)})
	return b
}

// damages are the kinds of damage doctor must find: found lists what a
// check reports, left what is still there after --repair.
var damages = []struct {
	name        string
	plant       func(tx *storage.Tx) error
	found, left []string
}{
	{"dangling tag index entry",
		func(tx *storage.Tx) error { return tx.PutTag("purpose:ghost", "support/reply") },
		[]string{"tag-index-dangling support/reply purpose:ghost"}, nil},
	{"missing tag index entry",
		func(tx *storage.Tx) error { return tx.DeleteTag("tone:friendly", "support/reply") },
		[]string{"tag-index-missing support/reply tone:friendly"}, nil},
	{"log index entry for a missing log",
		func(tx *storage.Tx) error { return tx.PutLog("fun/joke", 1, "00000000000000010000beef", nil) },
		[]string{"log-empty fun/joke@1"}, nil},
	{"log entry of a version that does not exist",
		func(tx *storage.Tx) error {
			return tx.PutLog("fun/joke", 9, "id9", logJSON("fun/joke", 9, "id9", "cli"))
		},
		[]string{"log-orphan fun/joke@9"}, []string{"log-orphan fun/joke@9"}},
	{"log entry naming a run that does not exist",
		func(tx *storage.Tx) error {
			return tx.PutLog("fun/joke", 2, "id2", logJSON("fun/joke", 2, "id2", "eval:r-404"))
		},
		[]string{"log-run-missing fun/joke@2 source"}, []string{"log-run-missing fun/joke@2 source"}},
	{"log entry of a run that does not exist",
		func(tx *storage.Tx) error {
			b, _ := json.Marshal(LogEntry{ID: "id3", Prompt: "fun/joke", Version: 2, Source: "eval", Run: "20261101-000000-dead", Output: "ok"})
			return tx.PutLog("fun/joke", 2, "id3", b)
		},
		[]string{"log-run-missing fun/joke@2 run"}, []string{"log-run-missing fun/joke@2 run"}},
	{"run of a version that does not exist",
		func(tx *storage.Tx) error {
			b, _ := json.Marshal(Run{ID: "r1", Status: RunDone, Variants: []RunVariant{{ID: "a", Prompt: "fun/joke", Version: 8, Model: "echo/echo"}}})
			return tx.PutRun("r1", b)
		},
		[]string{"run-mismatch fun/joke@8 variants[0]"}, []string{"run-mismatch fun/joke@8 variants[0]"}},
	{"label pointing at a version that does not exist",
		editPrompt("fun/joke", func(p *Prompt) { p.Labels["production"] = 7 }),
		[]string{"label-dangling fun/joke@7 production"}, []string{"label-dangling fun/joke@7 production"}},
	{"tampered content",
		editVersion("code/review", 1, func(v *Version) { v.Messages[0].Content += " Be brief." }),
		[]string{"hash-mismatch code/review@1 hash"}, []string{"hash-mismatch code/review@1 hash"}},
	{"broken include",
		editPrompt("support/style", func(p *Prompt) { delete(p.Labels, "production") }),
		[]string{"include-broken support/reply@2 production", "include-broken support/reply@3 staging"},
		[]string{"include-broken support/reply@2 production", "include-broken support/reply@3 staging"}},
	{"stale latest in a prompt record",
		editPrompt("translate/text", func(p *Prompt) {
			p.Latest, p.Tags = 1, []string{"tone:neutral", "purpose:generation", "audience:enterprise"}
		}),
		[]string{"prompt-field translate/text latest", "prompt-field translate/text tags"}, nil},
	{"versions without a prompt record",
		func(tx *storage.Tx) error { return tx.DeletePrompt("meetings/notes") },
		[]string{"prompt-missing meetings/notes"}, nil},
	{"wrong derived variables",
		editVersion("fun/joke", 1, func(v *Version) { v.Variables = []string{"bogus"} }),
		[]string{"version-variables fun/joke@1 variables"}, nil},
	{"unreadable cached response",
		func(tx *storage.Tx) error { return tx.PutCache("k1", []byte("{not json")) },
		[]string{"cache-unreadable "}, nil},
	{"leftover import journal",
		plantHalfImport,
		[]string{"import-journal ", "prompt-missing half/imported"}, nil},
	{"content committed with invalid UTF-8 by an older binary",
		plantLegacyUTF8,
		[]string{"invalid-utf8 legacy/cafe@1 messages[0]"}, nil},
	{"time-ordered audit copies of events an import rollback undid",
		plantUndoneLabelMoves,
		[]string{"audit-copy-orphaned "}, nil},
	{"an audit event without its time-ordered copy",
		plantMissingAuditCopy,
		[]string{"audit-copy-missing "}, nil},
	{"a time-ordered audit copy that differs from its event",
		plantDifferingAuditCopy,
		[]string{"audit-copy-differs "}, nil},
	{"run index keys of log entries that are not in the store",
		func(tx *storage.Tx) error {
			return errors.Join(tx.PutRunLog("r-gone", "fun/joke", 1, "id-a"), tx.PutRunLog("r-gone", "fun/joke", 2, "id-b"))
		},
		[]string{"run-index-dangling fun/joke"}, nil},
	{"an indexed run's key of a log entry that is not in the store",
		func(tx *storage.Tx) error {
			r, _ := json.Marshal(Run{ID: "r-listed", Status: RunDone, LogIndex: true})
			return errors.Join(tx.PutRun("r-listed", r), tx.PutRunLog("r-listed", "code/review", 1, "id-c"))
		},
		[]string{"run-index-dangling code/review"}, nil},
	{"a log entry of an indexed run missing from its index",
		func(tx *storage.Tx) error {
			r, _ := json.Marshal(Run{ID: "r-indexed", Status: RunDone, LogIndex: true})
			e, _ := json.Marshal(LogEntry{ID: "id-u", Prompt: "fun/joke", Version: 2, Source: "eval", Run: "r-indexed", Output: "ok"})
			return errors.Join(tx.PutRun("r-indexed", r), tx.PutLog("fun/joke", 2, "id-u", e))
		},
		[]string{"run-index-missing fun/joke"}, nil},
}

// plantHalfImport leaves what an import killed half-way leaves: its
// journal, and a version and tag index entry of a new prompt whose record
// it had not written yet. The repair must roll it back, not rebuild it.
func plantHalfImport(tx *storage.Tx) error {
	mark, err := tx.AuditMark()
	if err != nil {
		return err
	}
	j := Journal{Mark: mark, Prompts: []JournalPrompt{{Name: "half/imported", Tags: []string{"purpose:half"}}}}
	b, _ := json.Marshal(j)
	msgs := []Message{{Role: RoleUser, Content: "half"}}
	v := Version{Prompt: "half/imported", Number: 1, Hash: ContentHash(msgs, ModelConfig{}), Messages: msgs}
	return errors.Join(tx.PutJournal(0, b), putVersion(tx, v), tx.PutTag("purpose:half", "half/imported"))
}

// plantLegacyUTF8 stores what an older binary made of `printf 'Caf\xe9'`:
// the hash of the raw bytes, the text with U+FFFD.
func plantLegacyUTF8(tx *storage.Tx) error {
	raw := []Message{{Role: RoleUser, Content: "Caf\xe9 {{x}}"}}
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	v := Version{Prompt: "legacy/cafe", Number: 1, Hash: ContentHash(raw, ModelConfig{}),
		Messages: []Message{{Role: RoleUser, Content: "Caf\uFFFD {{x}}"}}, Variables: []string{"x"}, Time: now}
	if err := putVersion(tx, v); err != nil {
		return err
	}
	// A call and a run of it recorded the hash the version had.
	e, _ := json.Marshal(LogEntry{ID: "cafe-log", Prompt: "legacy/cafe", Version: 1, Hash: v.Hash, Source: "eval", Run: "cafe-run", Output: "ok", Time: now})
	r, _ := json.Marshal(Run{ID: "cafe-run", Status: RunDone, Variants: []RunVariant{{ID: "a", Prompt: "legacy/cafe", Version: 1, Hash: v.Hash, Model: "echo/echo"}}})
	return errors.Join(
		putPrompt(tx, Prompt{Name: "legacy/cafe", Latest: 1, LatestHash: v.Hash, Created: now, Updated: now}),
		tx.PutLog("legacy/cafe", 1, "cafe-log", e),
		tx.PutRun("cafe-run", r),
	)
}

func TestDoctorHealthyDemo(t *testing.T) {
	ws := demoWorkspace(t)
	now := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	err := ws.AddLogs(context.Background(), []LogEntry{
		{ID: NewLogID(now), Prompt: "fun/joke", Version: 2, Hash: mustVersionHash(t, ws, "fun/joke@2"), Source: "cli", Output: "ha", Time: now},
	}, map[string][]byte{"k": []byte(`{"output":"x"}`)})
	if err != nil {
		t.Fatal(err)
	}
	run := Run{ID: "20261102-000000-beef", Status: RunDone, Variants: []RunVariant{{ID: "a", Prompt: "fun/joke", Version: 2, Hash: mustVersionHash(t, ws, "fun/joke@2"), Model: "echo/echo"}}}
	if err := ws.SaveRun(context.Background(), run); err != nil {
		t.Fatal(err)
	}
	err = ws.AddLogs(context.Background(), []LogEntry{
		{ID: NewLogID(now.Add(time.Second)), Prompt: "fun/joke", Version: 2, Hash: mustVersionHash(t, ws, "fun/joke@2"), Source: "eval", Run: run.ID, Case: "1", Output: "ha", Time: now},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	rep := doctor(t, ws, false)
	if len(rep.Problems) != 0 || !rep.Healthy() {
		t.Fatalf("healthy demo: problems %q", names(rep.Problems))
	}
	c := rep.Checked
	if c.Prompts != 12 || c.Versions != 28 || c.Includes == 0 || c.TagEntries != 36 || c.LogEntries != 2 || c.Runs != 1 || c.CachedResponses != 1 || c.AuditEvents == 0 {
		t.Fatalf("checked %+v", c)
	}
	if rep := doctor(t, ws, true); len(rep.Problems) != 0 {
		t.Fatalf("repair of a healthy store: %q", names(rep.Problems))
	}
	events, _ := ws.Audit(context.Background(), "")
	if events[len(events)-1].Action == AuditRepair {
		t.Fatal("a repair that fixed nothing was audited")
	}
}

func mustVersionHash(t *testing.T, ws *Workspace, ref string) string {
	t.Helper()
	_, v, err := ws.Show(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	return v.Hash
}

// TestDoctorDamage plants each kind of damage in its own demo workspace:
// doctor names it, --repair fixes what loses no data and leaves the rest,
// and the check after the repair finds only what was left.
func TestDoctorDamage(t *testing.T) {
	for _, d := range damages {
		t.Run(d.name, func(t *testing.T) {
			ws := demoWorkspace(t)
			plant(t, ws, d.plant)
			rep := doctor(t, ws, false)
			if got := names(rep.Problems); !slices.Equal(got, d.found) {
				t.Fatalf("doctor found %q, want %q", got, d.found)
			}
			if rep.Healthy() {
				t.Fatal("a damaged store reported healthy")
			}
			rep = doctor(t, ws, true)
			for _, p := range rep.Problems {
				if p.Fixed != p.Repairable {
					t.Errorf("%s: repairable %v, fixed %v", p.Kind, p.Repairable, p.Fixed)
				}
			}
			if got := names(rep.Remaining); !slices.Equal(got, d.left) {
				t.Fatalf("after --repair %q left, want %q", got, d.left)
			}
			if got := names(doctor(t, ws, false).Problems); !slices.Equal(got, d.left) {
				t.Fatalf("second doctor found %q, want %q", got, d.left)
			}
		})
	}
}

// TestDoctorRepairsAllAtOnce plants every damage in one workspace: one
// repair fixes every repairable one, a second finds nothing to fix, and
// the repair is in the audit trail.
func TestDoctorRepairsAllAtOnce(t *testing.T) {
	ws := demoWorkspace(t)
	var found, left []string
	for _, d := range damages {
		plant(t, ws, d.plant)
		found = append(found, d.found...)
		left = append(left, d.left...)
	}
	slices.Sort(found)
	slices.Sort(left)
	if got := names(doctor(t, ws, false).Problems); !slices.Equal(got, found) {
		t.Fatalf("doctor found\n%q\nwant\n%q", got, found)
	}
	rep := doctor(t, ws, true)
	if got := names(rep.Remaining); !slices.Equal(got, left) {
		t.Fatalf("after --repair\n%q\nleft, want\n%q", got, left)
	}
	again := doctor(t, ws, true)
	for _, p := range again.Problems {
		if p.Repairable || p.Fixed {
			t.Errorf("second repair still finds %s %s to fix", p.Kind, p.Prompt)
		}
	}
	ctx := context.Background()
	events, err := ws.Audit(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	repairs := 0
	for _, ev := range events {
		if ev.Action == AuditRepair {
			repairs++
		}
	}
	if repairs != 1 {
		t.Fatalf("%d repair events in the audit trail, want 1", repairs)
	}
	// What the repairs restored works for a user again.
	if got, err := ws.List(ctx, Filter{Tags: mustTags(t, "tone:friendly")}); err != nil || !slices.ContainsFunc(got, func(p Prompt) bool { return p.Name == "support/reply" }) {
		t.Fatalf("list --tag tone:friendly after repair: %v, %v", got, err)
	}
	if _, _, err := ws.Show(ctx, "half/imported"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("the half import was not rolled back: %v", err)
	}
	p, v, err := ws.Show(ctx, "meetings/notes")
	if err != nil || v.Number != 3 || !slices.Contains(p.Tags, "purpose:summarization") || p.Labels["production"] != 2 || p.Labels["staging"] != 3 {
		t.Fatalf("rebuilt meetings/notes: %+v, %v", p, err)
	}
}

func mustTags(t *testing.T, s ...string) []Tag {
	t.Helper()
	tags, err := ParseTags(s)
	if err != nil {
		t.Fatal(err)
	}
	return tags
}

func TestDoctorCannotOpen(t *testing.T) {
	ws := newTestWorkspace(t)
	ws.opts.LockWait = -1
	holder, err := storage.Open(context.Background(), ws.storeOptions(false))
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	_, err = ws.Doctor(context.Background(), false)
	if !errors.Is(err, ErrStoreUnopenable) || !strings.Contains(err.Error(), "open store of") {
		t.Fatalf("Doctor on a store another process holds: %v", err)
	}
}

// TestDoctorFixesRecheck: a fix decided on one snapshot re-reads what it
// depends on when applied, so a change made in between is never undone.
func TestDoctorFixesRecheck(t *testing.T) {
	ctx := context.Background()
	ws := demoWorkspace(t)
	plant(t, ws, func(tx *storage.Tx) error { return tx.PutTag("purpose:ghost", "support/reply") })
	rep := doctor(t, ws, false)
	if len(rep.Problems) != 1 || rep.Problems[0].fix == nil {
		t.Fatalf("problems %q", names(rep.Problems))
	}
	// Another process tags the prompt before the repair gets the store.
	if _, _, err := ws.Retag(ctx, "support/reply", mustTags(t, "purpose:ghost"), nil, nil); err != nil {
		t.Fatal(err)
	}
	plant(t, ws, rep.Problems[0].fix)
	got, err := ws.List(ctx, Filter{Tags: mustTags(t, "purpose:ghost")})
	if err != nil || len(got) != 1 {
		t.Fatalf("the repair undid a tag added in between: %v, %v", got, err)
	}
	if rep := doctor(t, ws, false); len(rep.Problems) != 0 {
		t.Fatalf("problems %q", names(rep.Problems))
	}
}

// TestDoctorRepairKeepsExportFile: a workspace bound to an export file in
// git gets it rewritten after a repair, like after any other change.
func TestDoctorRepairKeepsExportFile(t *testing.T) {
	ws := demoWorkspace(t)
	ws.Config.ExportFile = "prompts.yaml"
	plant(t, ws, editPrompt("translate/text", func(p *Prompt) { p.Latest = 1 }))
	if _, err := os.Stat(ws.ExportPath()); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("export file before the repair: %v", err)
	}
	rep := doctor(t, ws, true)
	if !rep.Healthy() || len(rep.Warnings) != 0 {
		t.Fatalf("repair: %q, warnings %q", names(rep.Remaining), rep.Warnings)
	}
	b, err := os.ReadFile(ws.ExportPath())
	if err != nil || !strings.Contains(string(b), "translate/text") {
		t.Fatalf("export file after the repair: %v", err)
	}
}

// TestDoctorRehashesLegacyUTF8: a version an older binary committed with
// invalid UTF-8 blocks every export; the repair gives it the hash of its
// text as stored (its log entries and runs follow), and the library exports
// and imports again.
func TestDoctorRehashesLegacyUTF8(t *testing.T) {
	ctx := context.Background()
	ws := newTestWorkspace(t)
	plant(t, ws, plantLegacyUTF8)
	var out strings.Builder
	if err := ExportForTest(ctx, ws, &out, ExportOptionsForTest{WithLogs: true}); err == nil {
		t.Fatal("export of a version whose hash no longer matches was not refused")
	}
	rep := doctor(t, ws, true)
	if !rep.Healthy() || len(rep.Problems) != 1 || !rep.Problems[0].Fixed {
		t.Fatalf("repair: found %q, left %q", names(rep.Problems), names(rep.Remaining))
	}
	p, v, err := ws.Show(ctx, "legacy/cafe")
	if err != nil || v.Hash != ContentHash(v.Messages, v.Config) || p.LatestHash != v.Hash || v.Messages[0].Content != "Caf\uFFFD {{x}}" {
		t.Fatalf("after the repair: %+v %+v, %v", p, v, err)
	}
	_, entries, _, err := ws.Logs(ctx, "legacy/cafe@1")
	if err != nil || len(entries) != 1 || entries[0].Hash != v.Hash {
		t.Fatalf("log entry after the repair: %+v, %v", entries, err)
	}
	run, err := ws.Run(ctx, "cafe-run")
	if err != nil || run.Variants[0].Hash != v.Hash {
		t.Fatalf("run after the repair: %+v, %v", run, err)
	}
	out.Reset()
	if err := ExportForTest(ctx, ws, &out, ExportOptionsForTest{WithLogs: true}); err != nil {
		t.Fatalf("export after the repair: %v", err)
	}
	mustImport(t, newTestWorkspace(t), out.String())
}

func TestDoctorStopsWhenCancelled(t *testing.T) {
	ws := demoWorkspace(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ws.Doctor(ctx, true); !errors.Is(err, context.Canceled) {
		t.Fatalf("Doctor with a cancelled context: %v", err)
	}
}
