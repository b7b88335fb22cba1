package tui

import (
	"fmt"
	"slices"
	"strconv"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"promptbench/eval/dataset"
	"promptbench/workspace"
)

// variantChoice is what a column runs: a version of the prompt and a
// model, "" for the version's own.
type variantChoice struct {
	version int
	model   string
}

// compareSetup is the variants and the variables of the next run.
type compareSetup struct {
	prompt   string
	want     int // the version selected when loading: the first variant's
	loaded   bool
	labels   map[string]int
	versions []workspace.Version // newest first
	choices  []variantChoice     // 2–4
	names    []string            // the chosen versions' variables, in order
	values   map[string]string   // as typed; remembered per prompt
	row      *dataset.Row        // a dataset row standing in for the form
	rowFrom  string              // its file
	cursor   int                 // over choices, then names
}

const maxVariants = 4

// compareLoadedMsg carries a prompt's versions and remembered variables.
type compareLoadedMsg struct {
	name     string
	want     int
	prompt   workspace.Prompt
	versions []workspace.Version
	values   map[string]string
	err      error
	varsErr  error
}

// varsSavedMsg reports remembering the variables of a run.
type varsSavedMsg struct{ err error }

func (p *comparePane) load(sel selection) tea.Cmd {
	if p.input == inputVariable || p.input == inputDataset {
		p.stopTyping() // the field belonged to the prompt before
	}
	// The outputs stay one esc away, but their calls, of the prompt
	// before, stop: nobody watches them any more.
	p.cancelAll()
	p.closePicker()
	p.setup = compareSetup{prompt: sel.name, want: sel.number}
	p.mode = modeSetup
	return loadCompare(p.c, sel.name, sel.number)
}

func loadCompare(c *common, name string, want int) tea.Cmd {
	st, ctx := c.store, c.ctx
	return func() tea.Msg {
		prompt, versions, err := st.History(ctx, name)
		msg := compareLoadedMsg{name: name, want: want, prompt: prompt, versions: versions, err: err}
		if err == nil {
			msg.values, msg.varsErr = st.LoadVarValues(name)
		}
		return msg
	}
}

func (p *comparePane) loaded(msg compareLoadedMsg) tea.Cmd {
	s := &p.setup
	if msg.name != s.prompt {
		return nil // the selection moved on
	}
	if msg.err != nil {
		return reportErr("compare "+msg.name, msg.err)
	}
	versions := slices.Clone(msg.versions)
	slices.SortFunc(versions, func(a, b workspace.Version) int { return b.Number - a.Number })
	first := !s.loaded
	s.loaded, s.versions, s.labels = true, versions, msg.prompt.Labels
	if s.values == nil {
		s.values = msg.values
		if s.values == nil {
			s.values = map[string]string{}
		}
	}
	switch {
	case first || !p.validChoices():
		s.choices = p.defaultChoices(msg.want)
		s.cursor = 0
	case msg.want == s.want && p.versionIndex(s.want) >= 0 && len(s.choices) > 0:
		s.choices[0].version = s.want
	}
	p.deriveNames()
	if msg.varsErr != nil {
		return reportErr("read the remembered variables", msg.varsErr)
	}
	return nil
}

// defaultChoices compares the selected version with production, else
// with the version before it, else with another model.
func (p *comparePane) defaultChoices(want int) []variantChoice {
	s := &p.setup
	if len(s.versions) == 0 {
		return nil
	}
	a := s.versions[0].Number
	if p.versionIndex(want) >= 0 {
		a = want
	}
	b := 0
	if prod, ok := s.labels["production"]; ok && prod != a {
		b = prod
	} else if i := p.versionIndex(a); i+1 < len(s.versions) {
		b = s.versions[i+1].Number
	}
	if b != 0 {
		return []variantChoice{{version: a}, {version: b}}
	}
	second := variantChoice{version: a}
	own := s.versions[p.versionIndex(a)].Config.Model
	for _, m := range p.o.Models {
		if m != own {
			second.model = m
			break
		}
	}
	return []variantChoice{{version: a}, second}
}

func (p *comparePane) validChoices() bool {
	for _, ch := range p.setup.choices {
		if p.versionIndex(ch.version) < 0 {
			return false
		}
	}
	return len(p.setup.choices) > 0
}

func (p *comparePane) versionIndex(n int) int {
	return slices.IndexFunc(p.setup.versions, func(v workspace.Version) bool { return v.Number == n })
}

// deriveNames lists the variables the chosen versions use, the first
// variant's first.
func (p *comparePane) deriveNames() {
	s := &p.setup
	s.names = s.names[:0]
	for _, ch := range s.choices {
		if i := p.versionIndex(ch.version); i >= 0 {
			for _, n := range s.versions[i].Variables {
				if !slices.Contains(s.names, n) {
					s.names = append(s.names, n)
				}
			}
		}
	}
	s.cursor = min(s.cursor, len(s.choices)+len(s.names)-1)
}

// modelOf names a choice's model for people.
func (p *comparePane) modelOf(ch variantChoice) string {
	if ch.model != "" {
		return ch.model
	}
	if i := p.versionIndex(ch.version); i >= 0 && p.setup.versions[i].Config.Model != "" {
		return p.setup.versions[i].Config.Model + " (own)"
	}
	return "no model"
}

func (p *comparePane) setupKey(k tea.KeyPressMsg) tea.Cmd {
	s := &p.setup
	if p.picker != nil {
		if !p.picker.shown {
			return nil // the file is being opened
		}
		return p.pickKey(k)
	}
	keys, shared := p.keys, p.c.keys
	onChoice := s.cursor < len(s.choices)
	switch {
	case key.Matches(k, shared.Back):
		if len(p.cols) > 0 {
			p.mode = modeOutputs
			p.refresh()
			return nil
		}
		return goBack()
	case !s.loaded:
		return report("select a prompt in the Library first")
	case key.Matches(k, keys.Run):
		return p.runAll()
	case key.Matches(k, shared.Up):
		s.cursor = max(s.cursor-1, 0)
	case key.Matches(k, shared.Down):
		s.cursor = min(s.cursor+1, len(s.choices)+len(s.names)-1)
	case key.Matches(k, keys.Blind):
		p.blind = !p.blind
		return report(map[bool]string{true: "blind: the next run hides which column is which until each is scored", false: "blind mode off"}[p.blind])
	case key.Matches(k, keys.Dataset):
		p.input = inputDataset
		p.field.Placeholder = "dataset file (.jsonl, .csv, .json)"
		p.field.SetValue(s.rowFrom)
		p.field.CursorEnd()
		return p.field.Focus()
	case key.Matches(k, keys.Add):
		if len(s.choices) >= maxVariants {
			return report("at most 4 variants")
		}
		s.choices = append(s.choices, s.choices[len(s.choices)-1])
		s.cursor = len(s.choices) - 1
		p.deriveNames()
	case onChoice && key.Matches(k, keys.Remove):
		if len(s.choices) <= 2 {
			return report("compare needs 2 variants at least")
		}
		s.choices = slices.Delete(s.choices, s.cursor, s.cursor+1)
		p.deriveNames()
	case onChoice && (key.Matches(k, keys.PrevVersion) || key.Matches(k, keys.NextVersion)):
		step := 1 // versions are newest first: left is newer
		if key.Matches(k, keys.PrevVersion) {
			step = -1
		}
		i := p.versionIndex(s.choices[s.cursor].version) + step
		if i >= 0 && i < len(s.versions) {
			s.choices[s.cursor].version = s.versions[i].Number
			p.deriveNames()
		}
	case onChoice && (key.Matches(k, keys.PrevModel) || key.Matches(k, keys.NextModel)):
		models := append([]string{""}, p.o.Models...)
		i := slices.Index(models, s.choices[s.cursor].model)
		if key.Matches(k, keys.NextModel) {
			i = (i + 1) % len(models)
		} else {
			i = (i - 1 + len(models)) % len(models)
		}
		s.choices[s.cursor].model = models[i]
	case key.Matches(k, shared.Open):
		if onChoice {
			return p.runAll()
		}
		name := s.names[s.cursor-len(s.choices)]
		p.input = inputVariable
		p.area.SetValue(s.values[name])
		return p.area.Focus()
	}
	return nil
}

// typing sends a key to the text input, or finishes it on enter and esc.
func (p *comparePane) typing(k tea.KeyPressMsg) tea.Cmd {
	s := &p.setup
	switch {
	case key.Matches(k, p.c.keys.Back):
		p.stopTyping()
		if p.input == inputNone && p.pending != nil {
			p.pending = nil
			return report("score dropped")
		}
		return nil
	case key.Matches(k, p.keys.RunTyping) && p.input == inputVariable:
		p.takeVariable()
		return p.runAll()
	case key.Matches(k, p.c.keys.Open):
		switch p.input {
		case inputVariable:
			p.takeVariable()
			if s.cursor+1 < len(s.choices)+len(s.names) {
				s.cursor++ // on to the next variable, still typing
				p.area.SetValue(s.values[s.names[s.cursor-len(s.choices)]])
				return nil
			}
			p.stopTyping()
		case inputDataset:
			path := p.field.Value()
			p.stopTyping()
			return p.openDataset(path)
		case inputNote:
			note := p.field.Value()
			p.stopTyping()
			return p.giveScore(note)
		}
		return nil
	}
	var cmd tea.Cmd
	if p.input == inputVariable {
		p.area, cmd = p.area.Update(k)
	} else {
		p.field, cmd = p.field.Update(k)
	}
	return cmd
}

func (p *comparePane) stopTyping() {
	p.input = inputNone
	p.field.Blur()
	p.area.Blur()
	p.field.Placeholder = ""
}

// takeVariable keeps the typed value; typing replaces a dataset row.
func (p *comparePane) takeVariable() {
	s := &p.setup
	i := s.cursor - len(s.choices)
	if i < 0 || i >= len(s.names) {
		return
	}
	name := s.names[i]
	if v := p.area.Value(); v != s.values[name] || s.row == nil {
		s.values[name] = v
		s.row = nil
	}
}

// variantName names the i-th variant in sessions and column titles: A … D.
func (p *comparePane) variantName(i int) string { return string(rune('A' + i)) }

func (p *comparePane) refOf(ch variantChoice) string {
	return p.setup.prompt + "@" + strconv.Itoa(ch.version)
}

// choiceLabel says what a choice is: "@3 production · openai/gpt-4o".
func (p *comparePane) choiceLabel(ch variantChoice) string {
	return p.versionLabel(ch.version) + " · " + p.modelOf(ch)
}

// versionLabel names a version with its labels, or as the latest.
func (p *comparePane) versionLabel(n int) string {
	label := fmt.Sprintf("@%d", n)
	labels := sortedLabels(p.setup.labels)
	for _, l := range labels {
		if p.setup.labels[l] == n {
			label += " " + l
		}
	}
	if len(p.setup.versions) > 0 && p.setup.versions[0].Number == n && !slices.ContainsFunc(labels, func(l string) bool { return p.setup.labels[l] == n }) {
		label += " latest"
	}
	return label
}
