package exchange

import (
	"fmt"

	"promptbench/workspace"
	"promptbench/workspace/exportfile"
)

// pieceDecoder decodes the pieces of one file: the fast reader first, the
// general one when the fast one gives up, and the general one again to
// place an error found later in the piece. The fast reader needs no guard:
// it reads only export's fixed shape, and its depth follows indentation.
type pieceDecoder struct {
	name string
	lim  workspace.ImportLimits
}

// placeIn places field errors in a piece holding one list item, at path
// lookup below the item ("" for the item itself).
func (d pieceDecoder) placeIn(text []byte, line int, lookup, shown string, v any) placer {
	return func(fe *fieldError) error {
		root, err := exportfile.DecodeChunk(d.name, text, line-1, d.lim, d.lim.YAMLTokens, v)
		if err != nil {
			return err
		}
		return fe.at(d.name, root, line-1, "$[0]"+lookup, shown)
	}
}

// head decodes a prompt's header: the item without its versions.
func (d pieceDecoder) head(text []byte, line int) (exportPrompt, placer, error) {
	var probe []exportPrompt
	place := d.placeIn(text, line, "", "", &probe)
	if fp, ok := exportfile.FastPrompt(text); ok {
		return fp, place, nil
	}
	var fps []exportPrompt
	if _, err := exportfile.DecodeChunk(d.name, text, line-1, d.lim, d.lim.YAMLTokens, &fps); err != nil {
		return exportPrompt{}, nil, err
	}
	if len(fps) != 1 {
		return exportPrompt{}, nil, workspace.Invalidf("%s:%d: expected one prompt here", d.name, line)
	}
	return fps[0], place, nil
}

// version decodes one version.
func (d pieceDecoder) version(text []byte, line int) (fileVersion, error) {
	if fv, ok := exportfile.FastVersion(text); ok {
		return fv, nil
	}
	var fvs []fileVersion
	if _, err := exportfile.DecodeChunk(d.name, text, line-1, d.lim, d.lim.YAMLTokens, &fvs); err != nil {
		return fileVersion{}, err
	}
	if len(fvs) != 1 {
		return fileVersion{}, workspace.Invalidf("%s:%d: expected one version here", d.name, line)
	}
	return fvs[0], nil
}

// log decodes one log entry, i its index in the file.
func (d pieceDecoder) log(text []byte, line, i int) (fileLog, placer, error) {
	var logs []fileLog
	if _, err := exportfile.DecodeChunk(d.name, text, line-1, d.lim, d.lim.YAMLTokens, &logs); err != nil {
		return fileLog{}, nil, err
	}
	if len(logs) != 1 {
		return fileLog{}, nil, workspace.Invalidf("%s:%d: expected one log entry here", d.name, line)
	}
	var probe []fileLog
	return logs[0], d.placeIn(text, line, "", fmt.Sprintf("logs[%d]", i), &probe), nil
}

// run decodes one run, i its index in the file.
func (d pieceDecoder) run(text []byte, line, i int) (fileRun, placer, error) {
	var runs []fileRun
	if _, err := exportfile.DecodeChunk(d.name, text, line-1, d.lim, d.lim.YAMLTokens, &runs); err != nil {
		return fileRun{}, nil, err
	}
	if len(runs) != 1 {
		return fileRun{}, nil, workspace.Invalidf("%s:%d: expected one run here", d.name, line)
	}
	var probe []fileRun
	return runs[0], d.placeIn(text, line, "", fmt.Sprintf("runs[%d]", i), &probe), nil
}

func (d pieceDecoder) experiment(text []byte, line int) (exportfile.Experiment, placer, error) {
	var exps []exportfile.Experiment
	if _, err := exportfile.DecodeChunk(d.name, text, line-1, d.lim, d.lim.YAMLTokens, &exps); err != nil {
		return exportfile.Experiment{}, nil, err
	}
	if len(exps) != 1 {
		return exportfile.Experiment{}, nil, workspace.Invalidf("%s:%d: expected one experiment here", d.name, line)
	}
	var probe []exportfile.Experiment
	return exps[0], d.placeIn(text, line, "", "", &probe), nil
}

// document decodes a section, or a whole file in another layout, into a
// fileDoc and hands its contents to the importer one by one, placing errors
// through the document's tree.
func (d pieceDecoder) document(im *importer, text []byte, line, tokenLimit int) error {
	var doc fileDoc
	root, err := exportfile.DecodeChunk(d.name, text, line-1, d.lim, tokenLimit, &doc)
	if err != nil {
		return err
	}
	at := func(lookup, shown string) placer {
		return func(fe *fieldError) error { return fe.at(d.name, root, line-1, lookup, shown) }
	}
	if doc.Schema != "" {
		if err := im.schema(doc.Schema, line-1+lineOf(root, "$.schema")); err != nil {
			return err
		}
	}
	if doc.Taxonomy != nil {
		im.taxonomy = doc.Taxonomy
	}
	for i, fp := range doc.Prompts {
		base := fmt.Sprintf("$.prompts[%d]", i)
		versions := fp.Versions
		fp.Versions = nil
		if err := im.beginPrompt(fp, line-1+lineOf(root, base), at(base, "")); err != nil {
			return err
		}
		for j, fv := range versions {
			if err := im.version(fv, at(fmt.Sprintf("%s.versions[%d]", base, j), fmt.Sprintf("versions[%d]", j))); err != nil {
				return err
			}
		}
		if err := im.endPrompt(); err != nil {
			return err
		}
	}
	for j, fe := range doc.Experiments {
		path := fmt.Sprintf("$.experiments[%d]", j)
		if err := im.experiment(fe, at(path, fmt.Sprintf("experiments[%d]", j)), line-1+lineOf(root, path)); err != nil {
			return err
		}
	}
	for j, l := range doc.Logs {
		i := im.logCount
		path := fmt.Sprintf("$.logs[%d]", j)
		if err := im.log(l, at(path, fmt.Sprintf("logs[%d]", i)), line-1+lineOf(root, path), text, line); err != nil {
			return err
		}
	}
	for j, r := range doc.Runs {
		i := im.runCount
		path := fmt.Sprintf("$.runs[%d]", j)
		if err := im.run(r, at(path, fmt.Sprintf("runs[%d]", i)), line-1+lineOf(root, path), text, line); err != nil {
			return err
		}
	}
	return d.teamSections(im, doc, at)
}
