//go:build stack

package main

// Built with -tags stack, the floor also links the libraries the owner
// fixed for promptbench (DESIGN.md, Stack) and the JSON Schema validator
// the evaluations need, so that it pays their package initialisation as
// promptbench must: chroma's lexers and styles under glamour, the
// compiled metaschemas of jsonschema, goldmark and bluemonday. What a
// command costs beyond this "stack floor" is promptbench's own.
import (
	_ "charm.land/bubbles/v2/help"
	_ "charm.land/bubbles/v2/key"
	_ "charm.land/bubbles/v2/textarea"
	_ "charm.land/bubbles/v2/textinput"
	_ "charm.land/bubbles/v2/viewport"
	_ "charm.land/bubbletea/v2"
	_ "charm.land/glamour/v2"
	_ "charm.land/lipgloss/v2"
	_ "charm.land/lipgloss/v2/table"
	_ "github.com/santhosh-tekuri/jsonschema/v6"
	_ "github.com/sashabaranov/go-openai"
)
