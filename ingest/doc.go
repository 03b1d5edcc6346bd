// Package ingest is the pipeline where the scraper, the extractor, the WARC
// writer and the archive meet: the adapters between them, the group-commit
// writer, and one run lifecycle shared by every command that adds captures
// to an archive (crawl, import, demo, watch; reextract uses the writer).
//
// A run goes: Pipeline.Start (start a run, or resume the unfinished one),
// then either Run.Crawl (the scraper claims from the run's frontier) or
// Run.Submit (results fed from elsewhere, e.g. WARC files), then Run.Finish
// (drain the writer, record the status and counts). The store sits behind
// the Store interface; *archive.Store implements it. docs/ingest.md
// describes the lifecycle and the durability protocol.
package ingest
