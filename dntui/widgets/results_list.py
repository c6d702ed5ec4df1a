"""An option list whose rows are updated in place as a search is typed (issue 16).

Rebuilding an ``OptionList`` (``clear_options`` then ``add_options``) on every key
redraws the whole widget, its border included, and whenever the number of results
changes its virtual size changes too, which lays the screen out again and sends a
second frame: 5.4 KB per key in the muscle search at 80x24, a lot over a slow SSH
link. ``ResultList.show`` keeps the same ``Option`` objects, changes their prompts,
keeps at least a screenful of rows (blank, disabled ones below the results, which
look like the empty list did) so that the size only changes when there are more
results than fit, and repaints only the lines inside the border.

Rows carry no option ids (an ``Option``'s id cannot change): ``result_ids[i]`` is
the id shown on row ``i``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual.geometry import Region
from textual.visual import VisualType
from textual.widgets import OptionList
from textual.widgets.option_list import Option


class ResultList(OptionList):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: The id of the result on each row (blank rows have none).
        self.result_ids: list[str] = []
        self._shown: list[VisualType] = []
        self._inner_only = False

    def show(self, results: Sequence[tuple[str, VisualType]]) -> None:
        """Show ``results`` (id, prompt), best first, with the first one highlighted."""
        prompts = [prompt for _, prompt in results]
        self.result_ids = [rid for rid, _ in results]
        rows = max(len(prompts), self.scrollable_content_region.height, 1)
        if prompts == self._shown[: len(prompts)] and len(self._shown) == len(prompts):
            if prompts and self.highlighted != 0:
                self.highlighted = 0
            return
        self._shown = prompts
        self._inner_only = True
        try:
            # Same number of rows where possible: the widget's size (and the screen's
            # layout) stays, only the prompts change.
            while self.option_count > rows:
                self.remove_option_at_index(self.option_count - 1)
            if self.option_count < rows:
                self.add_options(
                    [Option("", disabled=True) for _ in range(rows - self.option_count)]
                )
            for index in range(rows):
                option = self.get_option_at_index(index)
                prompt = prompts[index] if index < len(prompts) else ""
                option.disabled = index >= len(prompts)
                self.replace_option_prompt_at_index(index, prompt)
        finally:
            self._inner_only = False
        self.highlighted = 0 if prompts else None
        if self.scroll_y:
            self.scroll_to(y=0, animate=False)

    def _clear_caches(self) -> None:
        if not self._inner_only or not self.is_mounted:
            super()._clear_caches()
            return
        # Prompts changed in place: only the lines inside the border are drawn again.
        self._option_render_cache.clear()
        self._line_cache.clear()
        size = self.scrollable_content_region.size
        self.refresh(Region(0, 0, size.width, size.height))
