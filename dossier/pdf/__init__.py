"""The PDF itself: pages put together, sized, sealed, written, checked and previewed."""
