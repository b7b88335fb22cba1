package workspace

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
)

// varsDir holds the variable values last used per prompt, so that a form
// asking for them starts filled in. Like drafts, they are this machine's
// own and stay out of git.
const varsDir = "vars"

// VarValuesPath is the file that remembers prompt's variable values.
func (ws *Workspace) VarValuesPath(prompt string) string {
	return filepath.Join(ws.Dir, varsDir, url.QueryEscape(prompt)+".json")
}

// SaveVarValues remembers values as the last ones used with prompt,
// replacing those remembered before. Values are the text as typed.
func (ws *Workspace) SaveVarValues(prompt string, values map[string]string) error {
	if err := ValidateName(prompt); err != nil {
		return err
	}
	dir, err := ws.localDir(varsDir)
	if err != nil {
		return err
	}
	path := filepath.Join(dir, filepath.Base(ws.VarValuesPath(prompt)))
	err = WriteAtomic(path, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(values)
	})
	if err != nil {
		return fmt.Errorf("remember the variables of %s: %w", prompt, err)
	}
	return nil
}

// LoadVarValues returns the values last used with prompt: none (and no
// error) when nothing is remembered, a *BadFileError naming the file when
// it cannot be read.
func (ws *Workspace) LoadVarValues(prompt string) (map[string]string, error) {
	if err := ValidateName(prompt); err != nil {
		return nil, err
	}
	path := ws.VarValuesPath(prompt)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, &BadFileError{File: path, Err: err}
	}
	values := map[string]string{}
	if err := json.Unmarshal(data, &values); err != nil {
		return nil, &BadFileError{File: path, Err: fmt.Errorf("not an object of variable values: %v", err)}
	}
	return values, nil
}
