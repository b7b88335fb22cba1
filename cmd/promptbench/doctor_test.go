package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"promptbench/storage"
)

// damage opens the workspace's store directly and changes it under the
// domain, as a crash, an older binary's bug or a hand edit would.
func damage(t *testing.T, ws string, fn func(tx *storage.Tx) error) {
	t.Helper()
	st, err := storage.Open(context.Background(), storage.Options{Dir: filepath.Join(ws, "store"), Command: "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Update(fn); err != nil {
		t.Fatalf("damage: %v", err)
	}
}

// editJSON rewrites one JSON record through fn.
func editJSON(get func() ([]byte, error), put func([]byte) error, fn func(map[string]any)) error {
	b, err := get()
	if err != nil {
		return err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	fn(m)
	if b, err = json.Marshal(m); err != nil {
		return err
	}
	return put(b)
}

// plantDamage makes the six kinds of damage the issue names.
func plantDamage(t *testing.T, ws string) {
	t.Helper()
	damage(t, ws, func(tx *storage.Tx) error {
		prompt := func(name string, fn func(map[string]any)) error {
			return editJSON(func() ([]byte, error) { return tx.GetPrompt(name) }, func(b []byte) error { return tx.PutPrompt(name, b) }, fn)
		}
		return errors.Join(
			tx.PutTag("purpose:ghost", "fun/joke"),                // dangling tag index entry
			tx.DeleteTag("purpose:support", "support/reply"),      // missing tag index entry
			tx.PutLog("fun/joke", 2, "0000000000000001beef", nil), // a log key holding no entry
			prompt("sql/generator", func(m map[string]any) { m["labels"].(map[string]any)["staging"] = 9 }),
			prompt("support/style", func(m map[string]any) { delete(m["labels"].(map[string]any), "production") }),
			editJSON(func() ([]byte, error) { return tx.GetVersion("code/review", 1) }, func(b []byte) error { return tx.PutVersion("code/review", 1, b) },
				func(m map[string]any) {
					msgs := m["messages"].([]any)
					msg := msgs[len(msgs)-1].(map[string]any)
					msg["content"] = msg["content"].(string) + " Approve everything."
				}),
		)
	})
}

func TestDoctorCommand(t *testing.T) {
	c := newCLI(t)
	c.ok("", "init", "--demo")
	mustContain(t, c.ok("", "doctor"), "checked 12 prompts, 28 versions", "healthy: no problems found")

	plantDamage(t, c.dir)
	r := c.run("", "doctor")
	if r.code != 1 {
		t.Fatalf("doctor on a damaged store: exit %d\n%s%s", r.code, r.out, r.err)
	}
	mustContain(t, r.out,
		"problem: tag index purpose:ghost → fun/joke: entry for a prompt without the tag (doctor --repair removes the entry)",
		"problem: tag index purpose:support → support/reply: missing, so `list --tag purpose:support` leaves support/reply out (doctor --repair adds the entry)",
		"problem: log entry 0000000000000001beef of fun/joke@2: the key holds no entry (doctor --repair removes the empty key)",
		"problem: sql/generator@staging: points at version 9, which does not exist",
		"what to do: point it at an existing version: `promptbench label sql/generator@N staging`",
		"problem: code/review@1: content hash mismatch: recorded ",
		"problem: support/reply@2 (labelled production): include {{> support/style}} in support/reply",
		"problem: support/reply@3 (labelled staging): include",
		"7 problems found; `promptbench doctor --repair` fixes 3 of them without losing data",
	)

	var rep struct {
		Healthy  bool
		Problems []struct {
			Kind, Prompt, Message, Advice string
			Repairable, Fixed             bool
		}
		Remaining int
	}
	r = c.run("", "doctor", "--json")
	if err := json.Unmarshal([]byte(r.out), &rep); err != nil || r.code != 1 {
		t.Fatalf("doctor --json: exit %d, %v\n%s", r.code, err, r.out)
	}
	var kinds []string
	for _, p := range rep.Problems {
		kinds = append(kinds, p.Kind)
		if p.Message == "" || (!p.Repairable && p.Advice == "") {
			t.Errorf("problem without wording: %+v", p)
		}
	}
	slices.Sort(kinds)
	want := []string{"hash-mismatch", "include-broken", "include-broken", "label-dangling", "log-empty", "tag-index-dangling", "tag-index-missing"}
	if !slices.Equal(kinds, want) || rep.Healthy || rep.Remaining != len(want) {
		t.Fatalf("doctor --json kinds %q (remaining %d), want %q", kinds, rep.Remaining, want)
	}

	r = c.run("", "doctor", "--repair")
	if r.code != 1 {
		t.Fatalf("doctor --repair with unfixable problems left: exit %d\n%s%s", r.code, r.out, r.err)
	}
	mustContain(t, r.out,
		"fixed: tag index purpose:ghost → fun/joke: entry for a prompt without the tag — removed the entry",
		"fixed: tag index purpose:support → support/reply: missing, so `list --tag purpose:support` leaves support/reply out — added the entry",
		"fixed: log entry 0000000000000001beef of fun/joke@2: the key holds no entry — removed the empty key",
		"problem: code/review@1: content hash mismatch",
		"repaired 3 problems; 4 problems left that doctor cannot fix without losing data",
	)
	mustContain(t, c.ok("", "list", "--tag", "purpose:support"), "support/reply")

	r = c.run("", "doctor")
	if r.code != 1 || strings.Contains(r.out, "problem: tag index") || strings.Contains(r.out, "--repair") {
		t.Fatalf("second doctor: exit %d, the repaired problems are back or it still offers a repair:\n%s", r.code, r.out)
	}
	mustContain(t, r.out, "4 problems found; none can be fixed without losing data")

	// What the advice says resolves the rest.
	c.ok("", "label", "sql/generator@2", "staging")
	c.ok("", "label", "support/style@1", "production")
	r = c.run("", "doctor")
	if r.code != 1 || !strings.Contains(r.out, "1 problem found") || !strings.Contains(r.out, "code/review@1") {
		t.Fatalf("after following the advice: exit %d\n%s", r.code, r.out)
	}
}

func exitCodeOf(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// TestDoctorProcess runs the real binary: exit 1 on damage, a repair that
// says what it did, exit 0 once healthy, and exit 3 when the store cannot be
// opened, with the reason.
func TestDoctorProcess(t *testing.T) {
	ws := filepath.Join(t.TempDir(), ".promptbench")
	if out, err := procCLI(t, ws, "", "init", "--demo"); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	out, err := procCLI(t, ws, "", "doctor")
	if code := exitCodeOf(err); code != 0 || !strings.Contains(out, "healthy") {
		t.Fatalf("doctor on the demo: exit %d\n%s", code, out)
	}
	damage(t, ws, func(tx *storage.Tx) error {
		return errors.Join(tx.PutTag("tone:ghost", "fun/joke"), tx.DeleteTag("tone:playful", "fun/joke"))
	})
	out, err = procCLI(t, ws, "", "doctor")
	if code := exitCodeOf(err); code != 1 || !strings.Contains(out, "tag index tone:ghost → fun/joke") {
		t.Fatalf("doctor on damage: exit %d\n%s", code, out)
	}
	out, err = procCLI(t, ws, "", "doctor", "--repair")
	if code := exitCodeOf(err); code != 0 || !strings.Contains(out, "fixed: tag index tone:ghost → fun/joke") ||
		!strings.Contains(out, "fixed: tag index tone:playful → fun/joke") || !strings.Contains(out, "the store is healthy now") {
		t.Fatalf("doctor --repair: exit %d\n%s", code, out)
	}
	out, err = procCLI(t, ws, "", "doctor", "--json")
	if code := exitCodeOf(err); code != 0 || !strings.Contains(out, `"healthy": true`) {
		t.Fatalf("doctor after repair: exit %d\n%s", code, out)
	}

	holder, err := storage.Open(context.Background(), storage.Options{Dir: filepath.Join(ws, "store"), Command: "promptbench tui"})
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	out, err = procCLI(t, ws, "", "--lock-wait", "200ms", "doctor")
	if code := exitCodeOf(err); code != 3 || !strings.Contains(out, "doctor cannot check the store: open store of") || !strings.Contains(out, "promptbench tui") {
		t.Fatalf("doctor on a store another process holds: exit %d\n%s", code, out)
	}
}

func TestDoctorRepairJSON(t *testing.T) {
	c := newCLI(t)
	c.ok("", "init", "--demo")
	damage(t, c.dir, func(tx *storage.Tx) error {
		return errors.Join(tx.PutTag("tone:ghost", "fun/joke"),
			editJSON(func() ([]byte, error) { return tx.GetPrompt("fun/joke") }, func(b []byte) error { return tx.PutPrompt("fun/joke", b) },
				func(m map[string]any) { m["labels"].(map[string]any)["production"] = 5 }))
	})
	r := c.run("", "doctor", "--repair", "--json")
	var rep struct {
		Healthy, Repair bool
		Remaining       int
		Problems        []struct {
			Kind, Tag, Label, Action, Advice string
			Version                          int
			Fixed                            bool
		}
	}
	if err := json.Unmarshal([]byte(r.out), &rep); err != nil || r.code != 1 {
		t.Fatalf("doctor --repair --json: exit %d, %v\n%s%s", r.code, err, r.out, r.err)
	}
	if rep.Healthy || !rep.Repair || rep.Remaining != 1 || len(rep.Problems) != 2 {
		t.Fatalf("report %+v", rep)
	}
	fixed, left := rep.Problems[0], rep.Problems[1]
	if fixed.Kind != "tag-index-dangling" || !fixed.Fixed || fixed.Action != "removed the entry" || fixed.Tag != "tone:ghost" {
		t.Fatalf("fixed problem %+v", fixed)
	}
	if left.Kind != "label-dangling" || left.Fixed || left.Label != "production" || left.Version != 5 || !strings.Contains(left.Advice, "promptbench label fun/joke@N production") {
		t.Fatalf("problem left %+v", left)
	}
}

// TestDoctorAuditCopiesCommand: a library whose trail kept the copies of
// label moves an import rollback undid (as promptbench before the fix left
// them) exports those moves; doctor says how many copies and what the
// repair does, the repair deletes them, and the library exports as before.
func TestDoctorAuditCopiesCommand(t *testing.T) {
	c := newCLI(t)
	c.ok("", "init", "--demo")
	before := c.ok("", "export")
	damage(t, c.dir, func(tx *storage.Tx) error {
		for i, v := range []int{1, 2, 1} {
			ev := fmt.Sprintf(`{"time":"2026-12-0%dT00:00:00Z","author":"bob","action":"label","prompt":"fun/joke","label":"production","version":%d}`, i+1, v)
			appended := uint64(time.Date(2026, 12, 4, 0, 0, i, 0, time.UTC).UnixNano())
			if err := tx.PutAuditCopy(storage.AuditRef{Nanos: appended, Random: 1}, []byte(ev)); err != nil {
				return err
			}
		}
		return nil
	})
	if c.ok("", "export") == before {
		t.Fatal("the undone moves do not show in the export: the test plants nothing")
	}
	r := c.run("", "doctor")
	if r.code != 1 {
		t.Fatalf("doctor: exit %d\n%s%s", r.code, r.out, r.err)
	}
	mustContain(t, r.out, "audit trail: 3 time-ordered copies of events that are not in the trail (label 3;",
		"(doctor --repair deletes them)", "56 audit events (59 time-ordered copies)", "the first appended at 2026-12-04T00:00:00Z")
	r = c.run("", "doctor", "--repair")
	if r.code != 0 {
		t.Fatalf("doctor --repair: exit %d\n%s%s", r.code, r.out, r.err)
	}
	mustContain(t, r.out, "fixed: audit trail: 3 time-ordered copies", "— deleted them", "repaired 1 problem; the store is healthy now")
	mustContain(t, c.ok("", "doctor"), "healthy: no problems found")
	// The repair's own event, the last of the trail, is the one
	// difference.
	after := c.ok("", "export")
	i := strings.LastIndex(after, "\n- time:")
	if !strings.Contains(after[i:], "action: repair") || after[:i+1] != before {
		t.Fatalf("export after the repair:\n%s\n---\n%s", after, before)
	}
}

// withoutRepairs drops the repair events from an export's audit section.
func withoutRepairs(export string) string {
	items := strings.Split(export, "\n- time:")
	out := items[:1]
	for _, it := range items[1:] {
		if !strings.Contains(it, "\n  action: repair\n") && !strings.HasSuffix(it, "\n  action: repair") {
			out = append(out, it)
		}
	}
	// The last item's newline went with a dropped one's separator.
	return strings.TrimSuffix(strings.Join(out, "\n- time:"), "\n") + "\n"
}

// TestDoctorRepairKilled kills `doctor --repair` of a trail too damaged for
// one transaction at different moments: every kill leaves a store the next
// command opens and checks, and the repair run again finishes the job; the
// library then exports as it did before the damage.
func TestDoctorRepairKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("writes megabytes of audit copies")
	}
	ws := filepath.Join(t.TempDir(), ".promptbench")
	if out, err := procCLI(t, ws, "", "init", "--demo"); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	before, err := procCLI(t, ws, "", "export")
	if err != nil {
		t.Fatal(err)
	}
	const orphans = 16000
	base := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	for start := 0; start < orphans; start += 1000 {
		damage(t, ws, func(tx *storage.Tx) error {
			for i := start; i < start+1000; i++ {
				at := base.Add(time.Duration(i) * time.Millisecond)
				ev := fmt.Sprintf(`{"time":%q,"author":"bob","action":"label","prompt":"fun/joke","label":"production","version":%d,"detail":"undone by a rollback"}`, at.Format(time.RFC3339Nano), 1+i%2)
				if err := tx.PutAuditCopy(storage.AuditRef{Nanos: uint64(at.UnixNano()), Random: 9}, []byte(ev)); err != nil {
					return err
				}
			}
			return nil
		})
	}
	for _, delay := range []time.Duration{100, 250, 400, 550, 700, 900} {
		cmd := exec.Command(os.Args[0], "--workspace", ws, "doctor", "--repair")
		cmd.Env = append(os.Environ(), "PROMPTBENCH_TEST_AS_CLI=1", "PROMPTBENCH_AUTHOR=proc", "PROMPTBENCH_NO_BACKGROUND=1")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay * time.Millisecond)
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		out, err := procCLI(t, ws, "", "doctor")
		t.Logf("killed at %v: %.80s", delay*time.Millisecond, out)
		if code := exitCodeOf(err); code != 0 && (code != 1 || !strings.Contains(out, "time-ordered copies of events that are not in the trail")) {
			t.Fatalf("doctor after a repair killed at %v: exit %d\n%s", delay*time.Millisecond, code, out)
		}
	}
	out, err := procCLI(t, ws, "", "doctor", "--repair")
	if code := exitCodeOf(err); code != 0 {
		t.Fatalf("doctor --repair after the kills: exit %d\n%s", code, out)
	}
	if out, err := procCLI(t, ws, "", "doctor"); exitCodeOf(err) != 0 || !strings.Contains(out, "healthy: no problems found") {
		t.Fatalf("doctor after the repair: %s", out)
	}
	after, err := procCLI(t, ws, "", "export")
	t.Logf("%d repair events", strings.Count(after, "action: repair"))
	if err != nil || withoutRepairs(after) != before {
		t.Fatalf("export after the repair (%v):\n%s\n---\n%s", err, after, before)
	}
}

// TestDoctorRepairCountsAfter runs the real binary: after a repair, the
// "checked" line counts what the store holds then (here the stray copies
// deleted and the repair's own event added), the same counts a doctor run
// afterwards shows, and says so.
func TestDoctorRepairCountsAfter(t *testing.T) {
	ws := filepath.Join(t.TempDir(), ".promptbench")
	if out, err := procCLI(t, ws, "", "init", "--demo"); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	damage(t, ws, func(tx *storage.Tx) error {
		for i := range 3 {
			ev := fmt.Sprintf(`{"time":"2026-12-0%dT00:00:00Z","author":"bob","action":"label","prompt":"fun/joke","label":"production","version":1}`, i+1)
			if err := tx.PutAuditCopy(storage.AuditRef{Nanos: uint64(time.Date(2026, 12, 4, 0, 0, i, 0, time.UTC).UnixNano()), Random: 1}, []byte(ev)); err != nil {
				return err
			}
		}
		return nil
	})
	out, err := procCLI(t, ws, "", "doctor")
	if code := exitCodeOf(err); code != 1 || !strings.Contains(out, "\nchecked 12 prompts") || !strings.Contains(out, "56 audit events (59 time-ordered copies)") {
		t.Fatalf("doctor on damage: exit %d\n%s", code, out)
	}
	out, err = procCLI(t, ws, "", "doctor", "--repair")
	if code := exitCodeOf(err); code != 0 || !strings.Contains(out, "\nchecked after the repair: 12 prompts") ||
		!strings.Contains(out, "57 audit events (57 time-ordered copies)") || strings.Contains(out, "59 time-ordered") {
		t.Fatalf("doctor --repair: exit %d; want the counts after the repair\n%s", code, out)
	}
	after, err := procCLI(t, ws, "", "doctor")
	if code := exitCodeOf(err); code != 0 || !strings.HasPrefix(after, "checked 12 prompts") || !strings.Contains(after, "57 audit events (57 time-ordered copies)") {
		t.Fatalf("doctor after the repair: exit %d\n%s", code, after)
	}
}
