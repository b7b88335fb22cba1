package exchange

import (
	"fmt"

	"promptbench/workspace"
	"promptbench/workspace/exportfile"
)

// The sections of an export file that carry a team's record: the audit
// trail and the reviews. They come after prompts, logs and runs.

// teamSectionRank places the team sections after every other list
// section, whatever those number.
func teamSectionRank(key string) int {
	switch key {
	case "audit":
		return 100
	}
	return 0
}

// teamItem decodes and merges one item of a team section (sec).
func (d pieceDecoder) teamItem(im *importer, sec string, text []byte, line int) error {
	switch sec {
	case "audit":
		var items []fileAudit
		if _, err := exportfile.DecodeChunk(d.name, text, line-1, d.lim, d.lim.YAMLTokens, &items); err != nil {
			return err
		}
		if len(items) != 1 {
			return workspace.Invalidf("%s:%d: expected one audit event here", d.name, line)
		}
		var probe []fileAudit
		return im.auditEvent(items[0], d.placeIn(text, line, "", fmt.Sprintf("audit[%d]", im.auditCount), &probe))
	}
	return nil
}

// teamSections merges the team sections of a document read whole.
func (d pieceDecoder) teamSections(im *importer, doc fileDoc, at func(lookup, shown string) placer) error {
	for j, fa := range doc.Audit {
		path := fmt.Sprintf("$.audit[%d]", j)
		if err := im.auditEvent(fa, at(path, fmt.Sprintf("audit[%d]", j))); err != nil {
			return err
		}
	}
	return nil
}
