"""What several lessons share: the curve-drawing pieces (segment colours, fit overlay,
defect markers, axis titles) so every page draws a curve the same way."""
