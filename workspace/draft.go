package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// draftsDir holds the editor's unsaved work, one file per prompt, inside
// the workspace directory. It is this machine's own, like the store: the
// directory ignores itself in git (localDir) and the .gitignore init
// writes names it too.
const draftsDir = "drafts"

// draftFormat marks a draft file, so that a future layout can be told apart.
const draftFormat = "promptbench-draft/1"

// EditDraft is an editor's unsaved work on a prompt: what the next version
// would say and the prompt-level fields the editor changes. It is kept on
// disk while the user types, so that a crash or a closed terminal loses
// nothing, and offered again on the next start until it is committed or
// discarded. Tags stay as typed: a half-typed tag is still the user's work.
type EditDraft struct {
	Prompt      string      `json:"prompt"`
	BasedOn     string      `json:"based_on,omitempty"`        // full hash of the version the edit started from; "" for a new prompt
	BasedOnNum  int         `json:"based_on_number,omitempty"` // its number, for people
	Messages    []Message   `json:"messages"`
	Config      ModelConfig `json:"config"`
	Scorers     []string    `json:"scorers,omitempty"`
	Description string      `json:"description"`
	Tags        []string    `json:"tags,omitempty"`
	Saved       time.Time   `json:"saved"`
}

// draftFile is the JSON form of a draft file.
type draftFile struct {
	Format string `json:"format"`
	EditDraft
}

// BadFileError is a draft (or remembered variables) file that cannot be
// read. The front end names the file and offers to remove it; it never
// stops the other drafts.
type BadFileError struct {
	File string // the full path
	Err  error
}

func (e *BadFileError) Error() string {
	return fmt.Sprintf("%s cannot be read: %v", e.File, e.Err)
}

func (e *BadFileError) Unwrap() error { return e.Err }

// DraftPath is the file that holds prompt's draft. Prompt names hold '/',
// so the name is escaped into one file name ("support%2Freply.json").
func (ws *Workspace) DraftPath(prompt string) string {
	return filepath.Join(ws.Dir, draftsDir, url.QueryEscape(prompt)+".json")
}

// SaveDraft writes d, stamped with the workspace clock, replacing the
// prompt's earlier draft whole (an interrupted write leaves the earlier
// one). It returns the draft as saved.
func (ws *Workspace) SaveDraft(d EditDraft) (EditDraft, error) {
	if err := ValidateName(d.Prompt); err != nil {
		return EditDraft{}, err
	}
	d.Saved = ws.opts.Now().UTC()
	dir, err := ws.localDir(draftsDir)
	if err != nil {
		return EditDraft{}, err
	}
	path := filepath.Join(dir, filepath.Base(ws.DraftPath(d.Prompt)))
	err = WriteAtomic(path, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(draftFile{Format: draftFormat, EditDraft: d})
	})
	if err != nil {
		return EditDraft{}, fmt.Errorf("save the draft of %s: %w", d.Prompt, err)
	}
	return d, nil
}

// LoadDraft reads prompt's draft: ErrNotFound when there is none, a
// *BadFileError when its file cannot be read.
func (ws *Workspace) LoadDraft(prompt string) (EditDraft, error) {
	if err := ValidateName(prompt); err != nil {
		return EditDraft{}, err
	}
	d, err := readDraft(ws.DraftPath(prompt))
	if errors.Is(err, fs.ErrNotExist) {
		return EditDraft{}, notFoundf("%s has no draft", prompt)
	}
	if err == nil && d.Prompt != prompt {
		err = &BadFileError{File: ws.DraftPath(prompt), Err: fmt.Errorf("it holds a draft of %q", d.Prompt)}
	}
	return d, err
}

// ListDrafts reads every draft in the workspace, sorted by prompt name.
// Files that cannot be read come back apart, each named, so that one bad
// file hides no other draft; err is only for a drafts folder that cannot
// be listed at all.
func (ws *Workspace) ListDrafts() (drafts []EditDraft, bad []*BadFileError, err error) {
	dir := filepath.Join(ws.Dir, draftsDir)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("list drafts in %s: %w", dir, err)
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".json") || strings.HasPrefix(name, ".") {
			continue // the .gitignore and temporary files of writes in progress
		}
		path := filepath.Join(dir, name)
		d, err := readDraft(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue // discarded since the listing
		}
		if err == nil {
			if want, _ := url.QueryUnescape(strings.TrimSuffix(name, ".json")); want != d.Prompt {
				err = &BadFileError{File: path, Err: fmt.Errorf("it holds a draft of %q", d.Prompt)}
			}
		}
		var be *BadFileError
		switch {
		case errors.As(err, &be):
			bad = append(bad, be)
		case err != nil:
			bad = append(bad, &BadFileError{File: path, Err: err})
		default:
			drafts = append(drafts, d)
		}
	}
	sort.Slice(drafts, func(i, j int) bool { return drafts[i].Prompt < drafts[j].Prompt })
	return drafts, bad, nil
}

// DiscardDraft removes prompt's draft; having none is not an error.
func (ws *Workspace) DiscardDraft(prompt string) error {
	if err := ValidateName(prompt); err != nil {
		return err
	}
	err := os.Remove(ws.DraftPath(prompt))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("discard the draft of %s: %w", prompt, err)
	}
	return nil
}

// CommitDraft commits d as the prompt's next version with message and then
// discards the draft: what was committed needs no draft. When the commit
// fails the draft stays, so nothing typed is lost.
func (ws *Workspace) CommitDraft(ctx context.Context, d EditDraft, message string) (CommitResult, error) {
	cd, err := d.commitDraft(message)
	if err != nil {
		return CommitResult{}, err
	}
	res, err := ws.Commit(ctx, d.Prompt, cd)
	if err != nil {
		return CommitResult{}, err
	}
	return res, ws.DiscardDraft(d.Prompt)
}

// commitDraft is the Draft a commit takes; tags are checked here.
func (d EditDraft) commitDraft(message string) (Draft, error) {
	tags, err := ParseTags(d.Tags)
	if err != nil {
		return Draft{}, fmt.Errorf("the tags of %s: %w", d.Prompt, err)
	}
	desc := d.Description
	return Draft{Messages: d.Messages, Config: d.Config, Scorers: d.Scorers,
		Description: &desc, Tags: tags, Message: message}, nil
}

func readDraft(path string) (EditDraft, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return EditDraft{}, err
		}
		return EditDraft{}, &BadFileError{File: path, Err: err}
	}
	var f draftFile
	if err := json.Unmarshal(data, &f); err != nil {
		return EditDraft{}, &BadFileError{File: path, Err: fmt.Errorf("not a draft: %v", err)}
	}
	if f.Format != draftFormat {
		return EditDraft{}, &BadFileError{File: path, Err: fmt.Errorf("format %q, want %q", f.Format, draftFormat)}
	}
	if err := ValidateName(f.Prompt); err != nil {
		return EditDraft{}, &BadFileError{File: path, Err: err}
	}
	return f.EditDraft, nil
}

// localGitignore makes a folder of this machine's own files ignore itself
// in git, also in workspaces whose .gitignore predates the folder.
const localGitignore = "# Written by promptbench: this machine's own files, never shared.\n*\n"

// localDir makes (if needed) the workspace folder name for files that are
// this machine's own and private to its user: drafts and remembered
// variable values may hold text not meant for anyone else.
func (ws *Workspace) localDir(name string) (string, error) {
	dir := filepath.Join(ws.Dir, name)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("create %s: %w", dir, err)
	}
	ignore := filepath.Join(dir, GitignoreName)
	if !exists(ignore) {
		if err := WriteFileAtomic(ignore, []byte(localGitignore)); err != nil {
			return "", err
		}
	}
	return dir, nil
}
