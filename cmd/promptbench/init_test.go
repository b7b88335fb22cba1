package main

import "testing"

// TestInitDemoRefusesNonEmptyWorkspace: the demo never merges into a
// user's own prompts; it loads into an empty workspace, and loading it
// again is a no-op.
func TestInitDemoRefusesNonEmptyWorkspace(t *testing.T) {
	c := newCLI(t)
	c.ok("", "init")
	c.ok("My reply to {{ticket}}\n", "commit", "support/reply", "-m", "mine")
	c.ok("", "label", "support/reply@1", "production")
	c.ok("Notes\n", "commit", "-m", "test", "notes")
	before := c.ok("", "export", "--with-logs")

	r := c.run("", "init", "--demo")
	if r.code != 2 {
		t.Fatalf("init --demo into a workspace with prompts: exit %d\n%s%s", r.code, r.out, r.err)
	}
	mustContain(t, r.err, "already holds prompts (notes, support/reply)", "promptbench --workspace /tmp/promptbench-demo init --demo")
	if after := c.ok("", "export", "--with-logs"); after != before {
		t.Fatalf("the refused demo changed the workspace:\n%s", after)
	}

	demo := newCLI(t)
	mustContain(t, demo.ok("", "init", "--demo"), "Created workspace with the demo library", "12 prompts, 28 versions")
	loaded := demo.ok("", "export")
	mustContain(t, demo.ok("", "init", "--demo"), "already holds the demo library; nothing changed")
	if demo.ok("", "export") != loaded {
		t.Fatal("init --demo again changed the demo workspace")
	}
}
