package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// gitRepo is a real git repository whose promptbench is this test binary,
// found on PATH as git's merge driver finds it.
type gitRepo struct {
	t   *testing.T
	dir string
	bin string // holds promptbench
	env []string
}

func newGitRepo(t *testing.T) *gitRepo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	bin := t.TempDir()
	if err := os.Symlink(os.Args[0], filepath.Join(bin, "promptbench")); err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	r := &gitRepo{t: t, dir: t.TempDir(), bin: bin, env: append(os.Environ(),
		"PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"PROMPTBENCH_TEST_AS_CLI=1", "PROMPTBENCH_NO_BACKGROUND=1", "NO_COLOR=1",
		"HOME="+home, "XDG_CONFIG_HOME="+home, "GIT_CONFIG_NOSYSTEM=1", "PROMPTBENCH_WORKSPACE=",
	)}
	r.git("init", "-q", "-b", "main")
	r.git("config", "user.name", "Test")
	r.git("config", "user.email", "test@example.com")
	return r
}

func (r *gitRepo) run(author, stdin, name string, args ...string) (string, error) {
	r.t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = r.dir
	cmd.Env = append(r.env, "PROMPTBENCH_AUTHOR="+author)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func (r *gitRepo) git(args ...string) string {
	r.t.Helper()
	out, err := r.run("git", "", "git", args...)
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func (r *gitRepo) pb(author, stdin string, args ...string) string {
	r.t.Helper()
	out, err := r.run(author, stdin, filepath.Join(r.bin, "promptbench"), args...)
	if err != nil {
		r.t.Fatalf("promptbench %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

func (r *gitRepo) read(name string) string {
	r.t.Helper()
	b, err := os.ReadFile(filepath.Join(r.dir, name))
	if err != nil {
		r.t.Fatal(err)
	}
	return string(b)
}

// switchTo checks out branch and makes the workspace's store what the
// branch's export file holds, as a teammate's own machine has it.
func (r *gitRepo) switchTo(branch, exportPath string) {
	r.t.Helper()
	r.git("checkout", "-q", branch)
	r.reload(exportPath)
}

// reload makes the store what the export file holds.
func (r *gitRepo) reload(exportPath string) {
	r.t.Helper()
	if err := os.RemoveAll(filepath.Join(r.dir, ".promptbench", "store")); err != nil {
		r.t.Fatal(err)
	}
	r.pb("setup", "", "init")
	r.pb("setup", "", "import", exportPath)
}

// startLibrary makes the base commit: the demo library, kept in
// exportFile by config.yaml, and the merge driver set up.
func (r *gitRepo) startLibrary(exportFile string) {
	r.t.Helper()
	r.pb("setup", "", "init", "--demo")
	cfg := filepath.Join(r.dir, ".promptbench", "config.yaml")
	f, err := os.OpenFile(cfg, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		r.t.Fatal(err)
	}
	f.WriteString("export_file: " + exportFile + "\n")
	f.Close()
	if strings.HasSuffix(exportFile, "/") {
		r.pb("setup", "", "export", "--dir", exportFile)
	} else {
		r.pb("setup", "", "export", "--out", exportFile)
	}
	mustContain(r.t, r.pb("setup", "", "git", "setup"), "merge=promptbench", "merge.promptbench.driver")
	mustContain(r.t, r.pb("setup", "", "git", "setup"), "nothing changed")
	r.git("add", "-A")
	r.git("commit", "-q", "-m", "library")
}

// TestGitMergesExportFiles: two teammates branch, each adds a prompt and
// one adds a version to a shared prompt; git merges the export file with
// no conflict, the result imports cleanly, and it is what export writes
// for the merged library (so it does not churn).
func TestGitMergesExportFiles(t *testing.T) {
	r := newGitRepo(t)
	r.startLibrary("prompts.yaml")
	mustContain(t, r.read(".gitattributes"), "prompts.yaml merge=promptbench\n")

	r.git("checkout", "-q", "-b", "alice")
	r.pb("alice", "Alice's prompt about {{x}}\n", "commit", "alice/new", "-m", "alice adds")
	r.pb("alice", "Tell me a {{style}} joke about {{topic}}, please.\n", "commit", "fun/joke", "-m", "polite joke")
	r.git("commit", "-q", "-am", "alice")

	r.switchTo("main", "prompts.yaml")
	r.git("checkout", "-q", "-b", "bob")
	r.pb("bob", "Bob's prompt about {{x}}\n", "commit", "bob/new", "-m", "bob adds")
	r.git("commit", "-q", "-am", "bob")

	r.git("merge", "-q", "--no-edit", "alice")
	if st := r.git("status", "--porcelain"); st != "" {
		t.Fatalf("merge left changes:\n%s", st)
	}
	merged := r.read("prompts.yaml")
	mustContain(t, merged, "- name: alice/new\n", "- name: bob/new\n", "polite joke")

	// The merged file imports into a fresh library, and export writes it
	// back byte for byte.
	r.switchTo("HEAD", "prompts.yaml")
	if again := r.pb("bob", "", "export"); again != merged {
		t.Fatalf("export after importing the merged file differs from it")
	}

	// Both add a version to the same prompt: both lines kept, reported.
	r.git("checkout", "-q", "-b", "carol")
	r.pb("carol", "Carol's joke about {{topic}} in {{style}}\n", "commit", "fun/joke", "-m", "carol's")
	r.git("commit", "-q", "-am", "carol")
	r.switchTo("bob", "prompts.yaml")
	r.pb("bob", "Bob's joke about {{topic}} in {{style}}\n", "commit", "fun/joke", "-m", "bob's")
	r.git("commit", "-q", "-am", "bob 2")
	out := r.git("merge", "--no-edit", "carol")
	mustContain(t, out, "fun/joke: both sides added versions after @3")
	hist := func() string {
		r.switchTo("HEAD", "prompts.yaml")
		return r.pb("x", "", "history", "fun/joke")
	}()
	mustContain(t, hist, "carol's", "bob's")
}

// TestGitMergeLabelConflict: both sides move the same label to different
// versions. The driver exits 1 naming prompt and label, git marks the file
// conflicted, and the file holds the merge with our label and says so.
func TestGitMergeLabelConflict(t *testing.T) {
	r := newGitRepo(t)
	r.startLibrary("prompts.yaml")
	r.pb("setup", "New joke about {{topic}} ({{style}})\n", "commit", "fun/joke", "-m", "v3")
	r.git("commit", "-q", "-am", "v3")

	r.git("checkout", "-q", "-b", "alice")
	r.pb("alice", "", "label", "fun/joke@3", "production")
	r.git("commit", "-q", "-am", "alice promotes 3")

	r.switchTo("main", "prompts.yaml")
	r.pb("bob", "", "label", "fun/joke@1", "production")
	r.git("commit", "-q", "-am", "bob rolls back to 1")

	out, err := r.run("bob", "", "git", "merge", "--no-edit", "alice")
	if err == nil {
		t.Fatalf("merge succeeded despite a label conflict:\n%s", out)
	}
	mustContain(t, out, "label conflict: fun/joke@production is version 1 on our side and 3 on theirs", "CONFLICT")
	mustContain(t, r.git("status", "--porcelain"), "UU prompts.yaml")
	file := r.read("prompts.yaml")
	mustContain(t, file, "#   fun/joke@production: ours version 1, theirs version 3", "promptbench label fun/joke@3 production")
	// The conflicted file is still an export file: it imports.
	r.reload("prompts.yaml")
	mustContain(t, r.pb("bob", "", "show", "fun/joke@production"), "fun/joke@1")
}

// TestGitMergeDeletion: a prompt deleted on one side and untouched on the
// other stays deleted.
func TestGitMergeDeletion(t *testing.T) {
	r := newGitRepo(t)
	r.startLibrary("prompts.yaml")
	r.git("checkout", "-q", "-b", "alice")
	r.pb("alice", "", "rm", "--force", "sql/generator")
	r.git("commit", "-q", "-am", "alice removes sql/generator")
	r.switchTo("main", "prompts.yaml")
	r.pb("bob", "Bob's prompt about {{x}}\n", "commit", "bob/new", "-m", "bob adds")
	r.git("commit", "-q", "-am", "bob")
	r.git("merge", "-q", "--no-edit", "alice")
	merged := r.read("prompts.yaml")
	if strings.Contains(merged, "- name: sql/generator\n") {
		t.Fatal("the deleted prompt came back")
	}
	mustContain(t, merged, "- name: bob/new\n")
}

// TestGitExportFolder: with an export folder, unrelated changes touch
// different files, and import reads the folder.
func TestGitExportFolder(t *testing.T) {
	r := newGitRepo(t)
	r.startLibrary("prompts/")
	mustContain(t, r.read(".gitattributes"), "prompts/** merge=promptbench\n")
	mustContain(t, r.read("prompts/fun/joke.yaml"), "- name: fun/joke\n")

	r.git("checkout", "-q", "-b", "alice")
	r.pb("alice", "Alice about {{x}}\n", "commit", "alice/new", "-m", "alice adds")
	r.git("add", "-A")
	r.git("commit", "-q", "-m", "alice")
	aliceFiles := r.git("show", "--name-only", "--format=", "HEAD")

	r.switchTo("main", "prompts")
	r.pb("bob", "Tell me a {{style}} joke about {{topic}}, bob.\n", "commit", "fun/joke", "-m", "bob's joke")
	r.git("add", "-A")
	r.git("commit", "-q", "-m", "bob")
	bobFiles := r.git("show", "--name-only", "--format=", "HEAD")
	if aliceFiles != "prompts/alice/new.yaml\n" || bobFiles != "prompts/fun/joke.yaml\n" {
		t.Fatalf("alice changed %q, bob %q; want one file each", aliceFiles, bobFiles)
	}
	r.git("merge", "-q", "--no-edit", "alice")
	r.switchTo("HEAD", "prompts")
	mustContain(t, r.pb("x", "", "list"), "alice/new", "fun/joke")
	mustContain(t, r.pb("x", "", "history", "fun/joke"), "bob's joke")
}
