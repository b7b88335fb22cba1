package tui

import (
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/textarea"
	"charm.land/bubbles/v2/textinput"

	"promptbench/themes"
	"promptbench/workspace"
	"promptbench/workspace/template"
)

// fieldID names the one-line fields of the form, in the order shown
// after the messages.
type fieldID int

const (
	fieldModel fieldID = iota
	fieldTemperature
	fieldTopP
	fieldMaxTokens
	fieldStop
	fieldSeed
	fieldFormat
	fieldDescription
	fieldTags
	fieldCount
)

func (f fieldID) name() string {
	switch f {
	case fieldModel:
		return "model"
	case fieldTemperature:
		return "temperature"
	case fieldTopP:
		return "top_p"
	case fieldMaxTokens:
		return "max_tokens"
	case fieldStop:
		return "stop"
	case fieldSeed:
		return "seed"
	case fieldFormat:
		return "format"
	case fieldDescription:
		return "description"
	case fieldTags:
		return "tags"
	}
	return ""
}

func (f fieldID) placeholder() string {
	switch f {
	case fieldModel:
		return "provider/model"
	case fieldTemperature:
		return "0..2, empty: the model's default"
	case fieldTopP:
		return "0..1"
	case fieldMaxTokens:
		return "whole number"
	case fieldStop:
		return `"quoted" "strings"`
	case fieldSeed:
		return "whole number"
	case fieldFormat:
		return "text, json_object or json_schema"
	case fieldTags:
		return "facet:value …"
	}
	return ""
}

// editorMessage is one chat message being edited: its role and a
// textarea holding its content.
type editorMessage struct {
	role string
	area textarea.Model
}

// editorForm is the editable state of a version: a textarea per message
// and an input per field. The parts the form does not show (scorers, a
// JSON schema) are kept as they came.
type editorForm struct {
	msgs    []editorMessage
	inputs  [fieldCount]textinput.Model
	scorers []string
	format  *workspace.ResponseFormat
}

// formErrors are the problems of a form, next to the field they belong to.
type formErrors struct {
	fields [fieldCount]string
	msgs   []string
}

func (e formErrors) any() bool {
	return slices.ContainsFunc(e.fields[:], func(s string) bool { return s != "" }) ||
		slices.ContainsFunc(e.msgs, func(s string) bool { return s != "" })
}

func newMessageArea(st themes.Styles, content string) textarea.Model {
	a := textarea.New()
	a.ShowLineNumbers = false
	a.Prompt = "│ "
	a.CharLimit = 0
	a.MaxHeight = 0
	a.SetStyles(areaStyles(st))
	a.SetValue(content)
	return a
}

// areaStyles are the theme's textarea styles with a steady cursor, as
// the theme gives inputs: blinking redraws the screen for nothing.
func areaStyles(st themes.Styles) textarea.Styles {
	s := st.TextArea
	s.Cursor.Blink = false
	return s
}

// newForm fills a form from a draft.
func newForm(st themes.Styles, d workspace.EditDraft) editorForm {
	f := editorForm{scorers: slices.Clone(d.Scorers), format: d.Config.ResponseFormat}
	for _, m := range d.Messages {
		f.msgs = append(f.msgs, editorMessage{role: m.Role, area: newMessageArea(st, m.Content)})
	}
	for id := range fieldCount {
		in := textinput.New()
		in.Prompt = ""
		in.Placeholder = id.placeholder()
		in.SetStyles(st.TextInput)
		in.SetValue(fieldText(id, d))
		f.inputs[id] = in
	}
	return f
}

// fieldText is a field's value as the form shows it.
func fieldText(id fieldID, d workspace.EditDraft) string {
	c := d.Config
	float := func(p *float64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatFloat(*p, 'g', -1, 64)
	}
	switch id {
	case fieldModel:
		return c.Model
	case fieldTemperature:
		return float(c.Temperature)
	case fieldTopP:
		return float(c.TopP)
	case fieldMaxTokens:
		if c.MaxTokens == 0 {
			return ""
		}
		return strconv.Itoa(c.MaxTokens)
	case fieldStop:
		quoted := make([]string, len(c.Stop))
		for i, s := range c.Stop {
			quoted[i] = strconv.Quote(s)
		}
		return strings.Join(quoted, " ")
	case fieldSeed:
		if c.Seed == nil {
			return ""
		}
		return strconv.FormatInt(*c.Seed, 10)
	case fieldFormat:
		if c.ResponseFormat == nil {
			return ""
		}
		return c.ResponseFormat.Type
	case fieldDescription:
		return d.Description
	case fieldTags:
		return strings.Join(d.Tags, " ")
	}
	return ""
}

// draft reads the form into a draft for prompt, and says what is wrong
// with which field. A field that does not parse keeps base's value in the
// draft, so the draft on disk is always a valid one to restore.
func (f *editorForm) draft(base workspace.EditDraft) (workspace.EditDraft, formErrors) {
	d := base
	d.Messages = nil
	errs := formErrors{msgs: make([]string, len(f.msgs))}
	for i, m := range f.msgs {
		content := m.area.Value()
		d.Messages = append(d.Messages, workspace.Message{Role: m.role, Content: content})
		switch _, err := template.Parse(content); {
		case strings.TrimSpace(content) == "":
			errs.msgs[i] = "empty: write something or remove the message (x)"
		case err != nil:
			errs.msgs[i] = err.Error()
		}
	}
	d.Scorers = slices.Clone(f.scorers)
	d.Description = f.inputs[fieldDescription].Value()
	d.Tags = strings.Fields(f.inputs[fieldTags].Value())
	for _, t := range d.Tags {
		if _, err := workspace.ParseTag(t); err != nil {
			errs.fields[fieldTags] = err.Error()
			break
		}
	}
	for id := fieldModel; id <= fieldFormat; id++ {
		cfg, err := setConfigField(d.Config, id, strings.TrimSpace(f.inputs[id].Value()), f.format)
		if err == nil {
			// The domain's own rules, on this field alone.
			err = workspace.ValidateContent([]workspace.Message{{Role: workspace.RoleUser, Content: "x"}}, onlyField(cfg, id))
		}
		if err != nil {
			errs.fields[id] = err.Error()
			continue
		}
		d.Config = cfg
	}
	return d, errs
}

// setConfigField parses one field's text into the config.
func setConfigField(c workspace.ModelConfig, id fieldID, s string, format *workspace.ResponseFormat) (workspace.ModelConfig, error) {
	var err error
	switch id {
	case fieldModel:
		c.Model = s
	case fieldTemperature:
		c.Temperature, err = parseOptFloat(s)
	case fieldTopP:
		c.TopP, err = parseOptFloat(s)
	case fieldMaxTokens:
		c.MaxTokens = 0
		if s != "" {
			c.MaxTokens, err = strconv.Atoi(s)
			if err != nil {
				err = workspace.Invalidf("%q is not a whole number", s)
			}
		}
	case fieldStop:
		c.Stop, err = parseStop(s)
	case fieldSeed:
		c.Seed = nil
		if s != "" {
			n, perr := strconv.ParseInt(s, 10, 64)
			if perr != nil {
				return c, workspace.Invalidf("%q is not a whole number", s)
			}
			c.Seed = &n
		}
	case fieldFormat:
		c.ResponseFormat = nil
		if s != "" {
			rf := workspace.ResponseFormat{Type: s}
			if format != nil && format.Type == s {
				rf = *format // keeps the schema, its name and strictness
			}
			if s == "json_schema" && len(rf.Schema) == 0 {
				return c, workspace.Invalidf("json_schema needs a schema: write it in $EDITOR (e)")
			}
			c.ResponseFormat = &rf
		}
	}
	return c, err
}

// onlyField is a config holding just field id of c, so that the domain's
// validation speaks of that field only.
func onlyField(c workspace.ModelConfig, id fieldID) workspace.ModelConfig {
	var o workspace.ModelConfig
	switch id {
	case fieldModel:
		o.Model = c.Model
	case fieldTemperature:
		o.Temperature = c.Temperature
	case fieldTopP:
		o.TopP = c.TopP
	case fieldMaxTokens:
		o.MaxTokens = c.MaxTokens
	case fieldFormat:
		o.ResponseFormat = c.ResponseFormat
	}
	return o
}

func parseOptFloat(s string) (*float64, error) {
	if s == "" {
		return nil, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, workspace.Invalidf("%q is not a number", s)
	}
	return &f, nil
}

// parseStop reads stop sequences written as quoted strings ("\n\n"
// "END"); a bare word stands for itself.
func parseStop(s string) ([]string, error) {
	var out []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		if s[0] != '"' {
			word, rest, _ := strings.Cut(s, " ")
			out = append(out, word)
			s = rest
			continue
		}
		q, err := strconv.QuotedPrefix(s)
		if err != nil {
			return nil, workspace.Invalidf("unfinished quoted string %s: write each stop as \"text\"", s)
		}
		u, _ := strconv.Unquote(q)
		out = append(out, u)
		s = s[len(q):]
	}
	return out, nil
}

// sameDraft tells whether two drafts would commit the same thing: same
// content, description and tags.
func sameDraft(a, b workspace.EditDraft) bool {
	if workspace.ContentHash(a.Messages, a.Config) != workspace.ContentHash(b.Messages, b.Config) {
		return false
	}
	ta, tb := slices.Clone(a.Tags), slices.Clone(b.Tags)
	slices.Sort(ta)
	slices.Sort(tb)
	return strings.TrimSpace(a.Description) == strings.TrimSpace(b.Description) &&
		slices.Equal(ta, tb) && slices.Equal(a.Scorers, b.Scorers)
}

// baseDraft is a version as a draft: what the editor starts from.
func baseDraft(pr workspace.Prompt, v workspace.Version) workspace.EditDraft {
	return workspace.EditDraft{
		Prompt: pr.Name, BasedOn: v.Hash, BasedOnNum: v.Number,
		Messages: slices.Clone(v.Messages), Config: v.Config, Scorers: slices.Clone(v.Scorers),
		Description: pr.Description, Tags: slices.Clone(pr.Tags),
	}
}
