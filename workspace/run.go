package workspace

// RunID names an evaluation run (or a terminal UI comparison run).
type RunID string

// CaseID names a case of a run: a dataset row's id, or its line number.
type CaseID string
