"""Property maps and Find the phases: map settings shared by both pages (URL-bound), the
cached map and its clustering, their charts, tables, notes and exercises."""
