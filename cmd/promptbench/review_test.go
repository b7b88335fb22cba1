package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// protect appends team rules to the workspace's config.yaml.
func (c *cli) protect(rules string) {
	c.t.Helper()
	f, err := os.OpenFile(filepath.Join(c.dir, "config.yaml"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		c.t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(rules); err != nil {
		c.t.Fatal(err)
	}
}

func (c *cli) as(author string, stdin string, args ...string) result {
	c.t.Helper()
	old := c.env["PROMPTBENCH_AUTHOR"]
	c.env["PROMPTBENCH_AUTHOR"] = author
	defer func() { c.env["PROMPTBENCH_AUTHOR"] = old }()
	return c.run(stdin, args...)
}

func mustExit(t *testing.T, r result, code int, wants ...string) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, code, r.out, r.err)
	}
	mustContain(t, r.err, wants...)
}

// TestProtectedLabelNeedsReview is the story of the issue: production is
// protected, a move is refused with what to do, the author cannot approve
// their own version, a second person approves, the move succeeds with the
// review recorded, and --force is recorded as forced.
func TestProtectedLabelNeedsReview(t *testing.T) {
	c := newCLI(t)
	c.ok("", "init", "--demo")
	c.protect("protected_labels: [production]\nowners:\n  \"support/**\": [bob, carol]\n")

	mustExit(t, c.as("alice", "", "label", "fun/joke@1", "production"), 2,
		"production is a protected label", "review request fun/joke@1 production")
	out := c.as("alice", "", "review", "request", "fun/joke@1", "production", "-m", "roll back").out
	id := strings.Fields(out)[1]
	id = strings.TrimSuffix(id, ":")
	mustExit(t, c.as("alice", "", "review", "request", "fun/joke@1", "production"), 2, "already asks")
	mustExit(t, c.as("alice", "", "label", "fun/joke@1", "production"), 2, "review "+id+" is waiting for approval")
	mustExit(t, c.as("alice", "", "review", "approve", id), 2, "alice requested review "+id)
	author := c.ok("", "show", "fun/joke@1", "--json")
	if !strings.Contains(author, `"author": "erin"`) {
		t.Fatalf("demo fun/joke@1 author changed:\n%s", author)
	}
	mustExit(t, c.as("erin", "", "review", "approve", id), 2, "erin wrote fun/joke@1")
	mustExit(t, c.as("bob", "", "review", "approve", "ffff0000"), 2, "no review ffff0000")
	mustContain(t, c.as("bob", "", "review", "approve", id, "-m", "ok").out, "approved by bob")
	mustExit(t, c.as("carol", "", "review", "approve", id), 2, "already approved by bob")
	mustContain(t, c.as("alice", "", "label", "fun/joke@1", "production", "--json").out, `"review": "`+id+`"`)
	mustContain(t, c.ok("", "review", "list"), id, "fun/joke@1", "approved", "alice", "bob")

	// Owners: a support prompt needs bob or carol.
	out = c.as("alice", "", "review", "request", "support/reply@3", "production").out
	sid := strings.TrimSuffix(strings.Fields(out)[1], ":")
	mustExit(t, c.as("dave", "", "review", "approve", sid), 2, "support/reply is owned by bob, carol")
	mustContain(t, c.as("bob", "", "review", "approve", sid).out, "approved")
	c.as("alice", "", "label", "support/reply@3", "production")

	// Unprotected labels move freely; --force is recorded.
	c.ok("", "label", "fun/joke@2", "staging")
	mustExit(t, c.as("alice", "", "review", "request", "fun/joke@2", "staging"), 2, "not a protected label")
	r := c.as("alice", "", "label", "fun/joke@2", "production", "--force")
	mustExit(t, r, 0, "recorded as forced")
	audit := c.ok("", "audit", "--prompt", "fun/joke", "--since", "2026-11-01")
	mustContain(t, audit, "review-request", "approve", "(review "+id+")", "(forced)")
}

func TestTeamConfigRefused(t *testing.T) {
	c := newCLI(t)
	c.ok("", "init")
	c.protect("owners:\n  \"support/[x\": [bob]\n")
	mustExit(t, c.run("", "list"), 2, `owners: prompt pattern "support/[x" has '['`)
}

// TestReviewsTravelAndBadReviewsRefused: a teammate who imports the export
// file sees the reviews; a file whose review names a version it does not
// hold is refused (exit 2, naming it) and changes nothing.
func TestReviewsTravelAndBadReviewsRefused(t *testing.T) {
	a := newCLI(t)
	a.ok("", "init", "--demo")
	a.protect("protected_labels: [production]\n")
	id := strings.TrimSuffix(strings.Fields(a.as("alice", "", "review", "request", "fun/joke@1", "production").out)[1], ":")
	a.as("bob", "", "review", "approve", id)
	a.as("alice", "", "label", "fun/joke@1", "production")
	a.as("alice", "", "label", "fun/joke@2", "production", "--force")
	file := filepath.Join(t.TempDir(), "prompts.yaml")
	a.ok("", "export", "--out", file)
	data, _ := os.ReadFile(file)

	b := newCLI(t)
	b.ok("", "init")
	b.ok("", "import", file)
	mustContain(t, b.ok("", "review", "list"), id, "approved", "bob")
	// The moves keep their review and forced mark: b's export is a's.
	if again := b.ok("", "export"); again != string(data) {
		t.Fatalf("export after import differs:\n%s", again[strings.Index(again, "audit:"):])
	}
	mustContain(t, b.ok("", "audit", "--prompt", "fun/joke"), "(review "+id+")", "(forced)")

	bad := strings.Replace(string(data), "  action: review-request\n  prompt: fun/joke\n  version: 1\n", "  action: review-request\n  prompt: fun/joke\n  version: 9\n", 1)
	if bad == string(data) {
		t.Fatal("the export has no review request to edit")
	}
	c := newCLI(t)
	c.ok("", "init")
	mustExit(t, c.run("", "import", writeFile(t, "bad.yaml", bad)), 2, "bad.yaml:", "review "+id+" is of fun/joke@9, which is not a version in this file")
	if strings.Contains(c.ok("", "list"), "fun/joke") {
		t.Fatal("a refused import stored prompts")
	}
}
