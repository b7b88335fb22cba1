package tui

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"promptbench/workspace"
	"promptbench/workspace/exportyaml"
)

// externalReadyMsg is the prompt written to a file for $EDITOR.
type externalReadyMsg struct {
	name   string
	path   string
	editor string
	err    error
}

// externalDoneMsg is $EDITOR having exited.
type externalDoneMsg struct {
	name string
	path string
	err  error
}

// externalParsedMsg is the file read back: a draft, or the text and why
// it does not parse.
type externalParsedMsg struct {
	name  string
	text  string
	draft workspace.Draft
	err   error
}

// openExternal writes the form (or the text that failed to parse last
// time) as a prompt file and opens it in $EDITOR.
func (p *editorPane) openExternal() tea.Cmd {
	text := p.external
	if text == "" {
		d, _ := p.form.draft(p.base)
		var err error
		if text, err = promptYAML(d); err != nil {
			return reportErr("write "+p.sel.name+" as YAML", err)
		}
	}
	name := p.sel.name
	return func() tea.Msg {
		msg := externalReadyMsg{name: name, editor: os.Getenv("VISUAL")}
		if msg.editor == "" {
			msg.editor = os.Getenv("EDITOR")
		}
		if msg.editor == "" {
			msg.editor = "vi"
		}
		f, err := os.CreateTemp("", "promptbench-"+strings.ReplaceAll(name, "/", "-")+"-*.yaml")
		if err != nil {
			msg.err = err
			return msg
		}
		msg.path = f.Name()
		_, err = f.WriteString(text)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		msg.err = err
		return msg
	}
}

// runExternal hands the terminal to $EDITOR until it exits.
func (p *editorPane) runExternal(msg externalReadyMsg) tea.Cmd {
	if msg.err != nil {
		return reportErr("prepare the file for $EDITOR", msg.err)
	}
	// Through the shell, as git runs it: EDITOR may hold arguments
	// ("code --wait").
	cmd := exec.Command("sh", "-c", msg.editor+` "$@"`, msg.editor, msg.path)
	// When the program's input is not a file (tests drive it through a
	// pipe), os/exec copies it to the editor and would wait for that copy
	// to end after the editor exits: stop waiting soon.
	cmd.WaitDelay = time.Second
	name, path := msg.name, msg.path
	return tea.ExecProcess(cmd, func(err error) tea.Msg {
		if errors.Is(err, exec.ErrWaitDelay) {
			err = nil
		}
		if err != nil {
			err = fmt.Errorf("the editor (%s) failed: %w; the form is unchanged", msg.editor, err)
		}
		return externalDoneMsg{name: name, path: path, err: err}
	})
}

// readExternal reads the edited file back, removes it and parses it.
func readExternal(msg externalDoneMsg) tea.Cmd {
	return func() tea.Msg {
		defer os.Remove(msg.path)
		if msg.err != nil {
			return externalParsedMsg{name: msg.name, err: msg.err}
		}
		data, err := os.ReadFile(msg.path)
		if err != nil {
			return externalParsedMsg{name: msg.name, err: err}
		}
		out := externalParsedMsg{name: msg.name, text: string(data)}
		out.draft, out.err = workspace.ParsePromptFile(filepath.Base(msg.path), data, false)
		return out
	}
}

// takeExternal puts what came back from $EDITOR into the form, or keeps
// the form and shows why the text does not parse.
func (p *editorPane) takeExternal(msg externalParsedMsg) tea.Cmd {
	if msg.name != p.sel.name || !p.loaded {
		return nil
	}
	if msg.err != nil && msg.text == "" {
		return reportErr("$EDITOR", msg.err)
	}
	if msg.err != nil {
		p.external, p.extErr = msg.text, msg.err.Error()
		return report("the edited YAML has an error: e opens it again to fix it")
	}
	p.external, p.extErr = "", ""
	d := p.base
	d.Messages, d.Config, d.Scorers = msg.draft.Messages, msg.draft.Config, msg.draft.Scorers
	if msg.draft.Description != nil {
		d.Description = *msg.draft.Description
	}
	d.Tags = workspace.TagStrings(msg.draft.Tags)
	p.form = newForm(p.c.styles, d)
	p.sizeInputs()
	p.focusSlot(p.slot)
	return tea.Batch(p.changed(), report("edits from $EDITOR taken: ctrl+s commits them"))
}

// promptYAML is a draft as a prompt file, the form `promptbench commit
// --file` reads.
func promptYAML(d workspace.EditDraft) (string, error) {
	var w exportyaml.Writer
	w.Raw(fmt.Sprintf("# %s, edited from version %d. Save and quit to take the edits back\n", d.Prompt, d.BasedOnNum))
	w.Raw("# into the editor; nothing is committed until you press ctrl+s there.\n")
	w.Str(0, "description", d.Description)
	if len(d.Tags) > 0 {
		w.Open(0, "tags")
		for _, t := range d.Tags {
			w.Item(0, t)
		}
	}
	if err := workspace.WriteModelConfigYAML(&w, 0, d.Config); err != nil {
		return "", err
	}
	if len(d.Scorers) > 0 {
		w.Open(0, "scorers")
		for _, s := range d.Scorers {
			w.Item(0, s)
		}
	}
	w.Open(0, "messages")
	for _, m := range d.Messages {
		w.Raw("  - role:")
		w.Scalar(4, m.Role, false)
		w.Str(4, "content", m.Content)
	}
	return w.String(), nil
}
