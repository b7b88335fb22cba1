package exchange

import (
	"bytes"

	"github.com/goccy/go-yaml"

	"promptbench/workspace"
	"promptbench/workspace/exportfile"
)

// readForVerify reads the prompts and the audit section of an export file
// a piece at a time, as import does: each prompt item and each audit event
// through the fast reader, go-yaml only for a piece outside its subset.
// A file not in export's layout (flow style, sections indented) is read
// whole by go-yaml.
func readForVerify(name string, data []byte) (verifyDoc, error) {
	var doc verifyDoc
	lim := workspace.DefaultImportLimits()
	section := ""
	var item []byte
	itemLine, line := 0, 0
	flush := func() error {
		if item == nil {
			return nil
		}
		text, at := item, itemLine
		item = nil
		switch section {
		case "prompts":
			fp, ok := exportfile.FastPrompt(text)
			if !ok {
				var fps []exportPrompt
				if _, err := exportfile.DecodeChunk(name, text, at-1, lim, lim.OtherLayoutTokens, &fps); err != nil {
					return err
				}
				if len(fps) != 1 {
					return workspace.Invalidf("%s:%d: expected one prompt here", name, at)
				}
				fp = fps[0]
			}
			doc.Prompts = append(doc.Prompts, fp)
		case "audit":
			fa, ok := exportfile.FastAudit(text)
			if !ok {
				var fas []fileAudit
				if _, err := exportfile.DecodeChunk(name, text, at-1, lim, lim.YAMLTokens, &fas); err != nil {
					return err
				}
				if len(fas) != 1 {
					return workspace.Invalidf("%s:%d: expected one audit event here", name, at)
				}
				fa = fas[0]
			}
			doc.Audit = append(doc.Audit, fa)
		}
		return nil
	}
	for rest := data; len(rest) > 0; {
		l := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			l, rest = rest[:i+1], rest[i+1:]
		} else {
			l, rest = append(bytes.Clone(rest), '\n'), nil
		}
		line++
		switch {
		case len(l) > 1 && l[0] == '-' && l[1] == ' ' && section != "":
			if err := flush(); err != nil {
				return doc, err
			}
			item, itemLine = bytes.Clone(l), line
		case len(l) > 0 && l[0] != ' ' && l[0] != '#' && l[0] != '\n' && l[0] != '\r':
			if err := flush(); err != nil {
				return doc, err
			}
			if !topKey().Match(bytes.TrimRight(l, "\r\n")) {
				return wholeForVerify(name, data) // not a "key:" line: another layout
			}
			key, inline, _ := bytes.Cut(bytes.TrimRight(l, "\r\n"), []byte(":"))
			section = string(key)
			if section == "schema" {
				doc.Schema = string(bytes.Trim(bytes.TrimSpace(inline), `"'`))
			}
			if v := bytes.TrimSpace(inline); len(v) > 0 && !bytes.Equal(v, []byte("[]")) && (section == "prompts" || section == "audit") {
				return wholeForVerify(name, data) // flow style
			}
		case item != nil:
			item = append(item, l...)
		case len(bytes.TrimSpace(l)) > 0 && l[0] == ' ' && (section == "prompts" || section == "audit"):
			return wholeForVerify(name, data) // an indented list
		}
	}
	if err := flush(); err != nil {
		return doc, err
	}
	return doc, checkVerifySchema(name, doc)
}

func checkVerifySchema(name string, doc verifyDoc) error {
	if doc.Schema != Schema {
		return workspace.Invalidf("%s: not an export file: it does not start with schema: %s", name, Schema)
	}
	return nil
}

func wholeForVerify(name string, data []byte) (verifyDoc, error) {
	var doc verifyDoc
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return doc, exportfile.YAMLErrorAt(name, err, 0)
	}
	return doc, checkVerifySchema(name, doc)
}
