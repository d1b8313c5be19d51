"""The routes of ``dossier serve``: each parses the request, calls the library, renders.

The folder and its ``case.toml`` are the state: nothing is kept here that a
``dossier build`` in a terminal would not see.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import tomllib
from collections.abc import Collection
from pathlib import Path
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from dossier import api
from dossier.annotate import image_kind
from dossier.case.facts import LANGUAGES
from dossier.case.marks import SHAPES
from dossier.discover import CASE_FILE_NAME, find_files
from dossier.errors import CaseFileError, DossierError
from dossier.filesize import size_text
from dossier.i18n import said_in
from dossier.model import Box, BuildOptions, Exhibit, ExhibitSettings, Highlight, Kind, Plan
from dossier.web import casedoc, factsform, files, pictures
from dossier.web.builds import Builder
from dossier.web.security import Guard, csrf_token
from dossier.web.words import page_words

LANGUAGE_COOKIE = "dossier-language"
# JSON bodies (captions, boxes, the form) are small; uploads have their own limit.
MAX_JSON = 1_000_000
_WEB = Path(__file__).resolve().parent


@dataclasses.dataclass
class Site:
    """What the routes share: the folder, the cache, the build, the last timeline."""

    folder: Path
    cache: Path
    secret: str
    builder: Builder
    upload_limit: int = files.MAX_UPLOAD
    _plan: tuple[str, Plan] | None = None
    # Keep what is read from each file between builds (off: ``--no-cache``).
    use_cache: bool = True

    def signature(self) -> str:
        """Changes when a file of the folder or the case file changes."""
        digest = hashlib.sha256()
        for path in find_files(self.folder):
            try:
                stat = path.stat()
            except OSError:
                continue
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
        digest.update(casedoc.read_text(self.folder).encode())
        return digest.hexdigest()[:16]

    def plan(self) -> Plan:
        """The timeline of the folder, read again only when something changed.

        Raises:
            CaseFileError: the case file is wrong.
        """
        signature = self.signature()
        if self._plan is None or self._plan[0] != signature:
            self._plan = (
                signature,
                api.plan(
                    BuildOptions(folder=self.folder, skip_unreadable=True, cache=self.use_cache)
                ),
            )
        return self._plan[1]


def create_app(
    folder: Path,
    secret: str,
    hosts: Collection[str],
    cache: Path | None = None,
    cookie: str = "dossier-session",
    upload_limit: int = files.MAX_UPLOAD,
    home: str | None = None,
    use_cache: bool = True,
) -> Guard:
    """The page's application, behind its guard.

    Args:
        folder: the case folder.
        secret: the secret of the address printed by ``dossier serve``.
        hosts: the Host headers accepted (``127.0.0.1:PORT``, ``localhost:PORT``).
        cache: where thumbnails and page pictures are kept (default ``~/.cache/dossier``).
        cookie: the session cookie's name.
        upload_limit: the largest upload accepted, in bytes.
        home: the address of the home page of ``dossier app`` (its cases), linked from
            every page; None when the page was opened by ``dossier serve``.
        use_cache: keep what is read from each file for the next build (``--no-cache``: off).
    """
    folder = folder.resolve()
    cache = cache or pictures.default_cache()
    builder = Builder(folder, cache, use_cache)
    site = Site(folder, cache, secret, builder, upload_limit, use_cache=use_cache)
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_WEB / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.globals["home"] = home
    routes = _routes(site, environment)
    app = Starlette(routes=routes)
    app.state.site = site
    return Guard(app, secret, hosts, cookie)


def _routes(site: Site, environment: jinja2.Environment) -> list[Route | Mount]:
    def render(request: Request, template: str, **values: Any) -> HTMLResponse:
        language, switched = _language(request, site)
        response = HTMLResponse(
            environment.get_template(template).render(
                t=page_words(language),
                language=language,
                languages=LANGUAGES,
                csrf=csrf_token(site.secret),
                path=request.url.path,
                folder=site.folder,
                signature=site.signature(),
                **values,
            )
        )
        if switched:
            response.set_cookie(LANGUAGE_COOKIE, language, samesite="strict", httponly=True)
        return response

    async def evidence(request: Request) -> Response:
        try:
            timeline = await run_in_threadpool(site.plan)
        except DossierError as error:
            return render(
                request,
                "evidence.html",
                problem=factsform.problem_text(error, _language(request, site)[0]),
                rows=[],
                rejections=[],
                notices=[],
                left_out=files.left_out(site.folder),
            )
        words = page_words(_language(request, site)[0])
        rows = [_row(exhibit, timeline, words) for exhibit in timeline.exhibits]
        return render(
            request,
            "evidence.html",
            problem=None,
            rows=rows,
            rejections=timeline.rejections,
            notices=[said_in(notice, words.language) for notice in timeline.notices],
            left_out=files.left_out(site.folder),
        )

    async def thumbnail(request: Request) -> Response:
        path = _known_file(site, request.path_params["path"])
        if path is None:
            return _not_found()
        picture = await run_in_threadpool(pictures.thumbnail, path, site.cache)
        if picture is None:
            return _not_found()
        return FileResponse(
            picture, media_type="image/jpeg", headers={"cache-control": "private, max-age=3600"}
        )

    async def upload(request: Request) -> Response:
        words = page_words(_language(request, site)[0])
        name = request.query_params.get("name", "")
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > site.upload_limit:
            return _too_large(words, name, site.upload_limit)
        modified = request.headers.get("x-file-modified", "")
        mtime = int(modified) / 1000 if modified.isdigit() else None
        try:
            saved = await files.save_upload(
                site.folder, name, request.stream(), site.upload_limit, mtime
            )
        except files.UploadTooLargeError:
            return _too_large(words, name, site.upload_limit)
        if not saved.added:
            message = words("upload.already", name=files.clean_name(name), existing=saved.relpath)
        elif saved.renamed:
            message = words("upload.renamed", name=files.clean_name(name), saved=saved.relpath)
        else:
            message = words("upload.added", name=saved.relpath)
        return JSONResponse({"path": saved.relpath, "added": saved.added, "message": message})

    async def exhibit(request: Request) -> Response:
        body = await _json(request)
        if body is None:
            return _bad("expected a JSON object")
        relpath = str(body.get("path", ""))
        if _known_file(site, relpath) is None:
            return _not_found()
        changes: dict[str, str | int | None] = {}
        for key in ("caption", "date"):
            if key in body:
                value = body[key]
                changes[key] = None if value in (None, "") else str(value)
        if "order" in body:
            order = body["order"]
            changes["order"] = order if isinstance(order, int) and order > 0 else None
        return _save(
            site,
            body.get("version"),
            lambda d: casedoc.set_exhibit(d, relpath, changes),
            _language(request, site)[0],
        )

    async def leave_out(request: Request) -> Response:
        body = await _json(request)
        relpath = str((body or {}).get("path", ""))
        if _known_file(site, relpath) is None:
            return _not_found()
        text = casedoc.read_text(site.folder)
        try:
            document = casedoc.parse(text)
        except CaseFileError as error:
            said = factsform.field_error(error, _language(request, site)[0])
            return JSONResponse({"error": said}, status_code=422)
        files.leave_out(site.folder, relpath)
        casedoc.stash_exhibit(site.folder, document, relpath)
        if document.as_string() != text:
            casedoc.save(site.folder, document)
        return JSONResponse({"ok": True})

    async def put_back(request: Request) -> Response:
        body = await _json(request)
        relpath = str((body or {}).get("path", ""))
        try:
            now_at = files.put_back(site.folder, relpath)
        except files.OutsideFolderError:
            return _not_found()
        return _save(
            site,
            None,
            lambda d: casedoc.restore_exhibit(site.folder, d, relpath, now_at),
            _language(request, site)[0],
        )

    async def marks_page(request: Request) -> Response:
        relpath = request.path_params["path"]
        path = _known_file(site, relpath)
        if path is None:
            return _not_found()
        upright = await run_in_threadpool(pictures.upright, path, site.cache)
        if upright is None:
            return _not_found()
        text = casedoc.read_text(site.folder)
        data = _loads(text)
        settings = factsform.value_of(data, "exhibits") or {}
        marks = settings.get(relpath, {}) if isinstance(settings, dict) else {}
        return render(
            request,
            "picture.html",
            relpath=relpath,
            width=upright[1],
            height=upright[2],
            marks=json.dumps(
                {k: marks.get(k) for k in ("redact", "highlight", "crop")}, default=str
            ),
            version=casedoc.version(text),
            shapes=SHAPES,
        )

    async def upright_picture(request: Request) -> Response:
        path = _known_file(site, request.path_params["path"])
        upright = pictures.upright(path, site.cache) if path else None
        if upright is None:
            return _not_found()
        return FileResponse(upright[0], media_type="image/jpeg")

    async def result_picture(request: Request) -> Response:
        relpath = request.path_params["path"]
        path = _known_file(site, relpath)
        if path is None:
            return _not_found()
        try:
            timeline = await run_in_threadpool(site.plan)
            settings = timeline.case.exhibits.get(relpath, ExhibitSettings())
        except DossierError:
            settings = ExhibitSettings()
        data = await run_in_threadpool(pictures.marked, path, site.cache, settings)
        if data is None:
            return _not_found()
        return Response(data, media_type="image/jpeg")

    async def save_marks(request: Request) -> Response:
        body = await _json(request)
        if body is None:
            return _bad("expected a JSON object")
        relpath = str(body.get("path", ""))
        if _known_file(site, relpath) is None:
            return _not_found()
        try:
            redact = [_box(item) for item in body.get("redact") or []]
            highlight = [
                Highlight(
                    _box(item["box"]),
                    str(item.get("shape", "rectangle")),
                    str(item.get("label", ""))[:40],
                )
                for item in body.get("highlight") or []
            ]
            crop = _box(body["crop"]) if body.get("crop") else None
        except (KeyError, TypeError, ValueError):
            return _bad("a box is [x, y, width, height] in pixels")
        upright = pictures.upright(_known_file(site, relpath) or Path(), site.cache)
        if upright is not None:
            width, height = upright[1], upright[2]
            for box in [*redact, *(mark.box for mark in highlight), *([crop] if crop else [])]:
                if box.x + box.width > width + 0.5 or box.y + box.height > height + 0.5:
                    return JSONResponse(
                        {
                            "error": f"the box [{round(box.x)}, {round(box.y)}, "
                            f"{round(box.width)}, {round(box.height)}] goes outside the picture "
                            f"({width} x {height} pixels, upright); correct the box"
                        },
                        status_code=422,
                    )
        return _save(
            site,
            body.get("version"),
            lambda d: casedoc.set_marks(d, relpath, redact, highlight, crop),
            _language(request, site)[0],
        )

    async def case_page(request: Request) -> Response:
        text = casedoc.read_text(site.folder)
        data = _loads(text)
        try:
            timeline = await run_in_threadpool(site.plan)
            inferred = factsform.inferred_values(timeline.inferred)
            problem = None
        except DossierError as error:
            inferred, problem = {}, factsform.problem_text(error, _language(request, site)[0])
        sections = factsform.form_sections(factsform.row_counts(data))
        values = {
            field.name: factsform.shown(factsform.value_of(data, field.name))
            for field in factsform.all_fields(sections)
        }
        if not values.get("language"):
            # No language chosen yet: the dossier speaks the page's language.
            values["language"] = _language(request, site)[0]
        return render(
            request,
            "case.html",
            sections=sections,
            values=values,
            chosen={"problem": factsform.value_of(data, "problem") or []},
            inferred=inferred,
            version=casedoc.version(text),
            problem=problem,
            has_file=bool(text),
        )

    async def save_case(request: Request) -> Response:
        if int(request.headers.get("content-length") or 0) > MAX_JSON:
            return _bad("the form is too large")
        form = await request.form(max_files=0, max_fields=2000)
        values: dict[str, str | list[str]] = {}
        for key in form:
            items = [str(v) for v in form.getlist(key)]
            values[key] = items if key == "problem" else items[-1]
        data = _loads(casedoc.read_text(site.folder))
        sections = factsform.form_sections(factsform.row_counts(data))
        fields = factsform.all_fields(sections)
        return _save(
            site,
            str(form.get("version", "")),
            lambda d: casedoc.apply_form(d, fields, values),
            _language(request, site)[0],
        )

    async def build_page(request: Request) -> Response:
        state = site.builder.state
        pdf = api_output(site.folder)
        language = _language(request, site)[0]
        return render(request, "build.html", state=state.as_json(language), has_pdf=pdf.is_file())

    async def start_build(request: Request) -> Response:
        body = await _json(request) or {}
        started = site.builder.start(site.signature(), pdfa=body.get("pdfa") is True)
        language = _language(request, site)[0]
        return JSONResponse({"started": started, **site.builder.state.as_json(language)})

    async def build_state(request: Request) -> Response:
        return JSONResponse(site.builder.state.as_json(_language(request, site)[0]))

    async def page_picture(request: Request) -> Response:
        state = site.builder.state
        number = request.path_params["number"]
        if not 1 <= number <= len(state.pages):
            return _not_found()
        return FileResponse(state.pages[number - 1], media_type="image/png")

    async def download(request: Request) -> Response:
        result = site.builder.state.result
        what = request.path_params["what"]
        path = None
        if what == "pdf":
            path = result.output if result else api_output(site.folder)
        elif what == "manifest" and result is not None:
            path = result.manifest
        if path is None or not path.is_file():
            return _not_found()
        media = "application/pdf" if what == "pdf" else "application/json"
        return FileResponse(path, media_type=media, filename=path.name)

    async def state(request: Request) -> Response:
        return JSONResponse(
            {
                "signature": site.signature(),
                "version": casedoc.version(casedoc.read_text(site.folder)),
            }
        )

    return [
        Route("/", evidence),
        Route("/upload", upload, methods=["POST"]),
        Route("/exhibit", exhibit, methods=["POST"]),
        Route("/leave-out", leave_out, methods=["POST"]),
        Route("/put-back", put_back, methods=["POST"]),
        Route("/thumbnail/{path:path}", thumbnail),
        Route("/picture/{path:path}", marks_page),
        Route("/upright/{path:path}", upright_picture),
        Route("/marks", save_marks, methods=["POST"]),
        Route("/result/{path:path}", result_picture),
        Route("/case", case_page),
        Route("/case", save_case, methods=["POST"]),
        Route("/build", build_page),
        Route("/build", start_build, methods=["POST"]),
        Route("/build/state", build_state),
        Route("/pages/{number:int}.png", page_picture),
        Route("/download/{what}", download),
        Route("/state", state),
        Mount("/static", StaticFiles(directory=_WEB / "static"), name="static"),
    ]


def api_output(folder: Path) -> Path:
    """Where ``dossier build`` writes the PDF of the folder by default."""
    return BuildOptions(folder=folder).output_path


def chosen_language(request: Request) -> tuple[str, bool] | None:
    """The language the person asked for (True: just now, to be remembered) or chose before."""
    asked = request.query_params.get("language")
    if asked in LANGUAGES:
        return asked, True
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in LANGUAGES:
        return chosen, False
    return None


def _language(request: Request, site: Site) -> tuple[str, bool]:
    """The page's language: chosen by the person, else the case file's, else French."""
    chosen = chosen_language(request)
    if chosen is not None:
        return chosen
    data = _loads(casedoc.read_text(site.folder))
    language = data.get("language")
    return (language if language in LANGUAGES else "fr"), False


def _loads(text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return {}


def _known_file(site: Site, relpath: str) -> Path | None:
    """The evidence file ``relpath``, if it is one the build would read."""
    try:
        path = files.safe_path(site.folder, relpath)
    except files.OutsideFolderError:
        return None
    return path if path in set(find_files(site.folder)) else None


def _row(exhibit: Exhibit, timeline: Plan, words: Any) -> dict[str, Any]:
    stamp = exhibit.timestamp
    settings = exhibit.settings
    return {
        "number": exhibit.number,
        "label": exhibit.label,
        "path": exhibit.source.relpath,
        "kind": words.build_word(f"kinds.{_kind_word(exhibit)}"),
        "when": _when(stamp.value, stamp.date_only) if stamp else "",
        "source": words.build_word(f"sources.{stamp.source.value}") if stamp else "",
        "caption": exhibit.caption,
        "own_caption": settings.caption or "",
        "own_date": _when(settings.date, settings.date_only) if settings.date else "",
        "order": settings.order,
        "warnings": [said_in(warning, words.language) for warning in exhibit.warnings],
        "picture": exhibit.kind.is_image and exhibit.parent is None,
        "thumbnail": exhibit.parent is None and (exhibit.kind.is_image or exhibit.kind == Kind.PDF),
        "attachment": exhibit.parent is not None,
        "marks": len(settings.redact) + len(settings.highlight) + (settings.crop is not None),
        "count": len(timeline.exhibits),
    }


def _kind_word(exhibit: Exhibit) -> str:
    if exhibit.kind.is_image:
        return image_kind(exhibit)
    return {Kind.EMAIL: "email", Kind.MBOX: "email", Kind.MSG: "email", Kind.PDF: "pdf"}.get(
        exhibit.kind, "note"
    )


def _when(value: dt.datetime, date_only: bool) -> str:
    return value.date().isoformat() if date_only else value.strftime("%Y-%m-%d %H:%M")


def _box(value: Any) -> Box:
    numbers = [float(v) for v in value]
    if len(numbers) != 4 or numbers[2] <= 0 or numbers[3] <= 0 or min(numbers) < 0:
        raise ValueError(value)
    return Box(numbers[0], numbers[1], numbers[2], numbers[3])


async def _json(request: Request) -> dict[str, Any] | None:
    if int(request.headers.get("content-length") or 0) > MAX_JSON:
        return None
    try:
        body = json.loads(await request.body())
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _save(site: Site, expected: Any, change: Any, language: str) -> Response:
    """Apply ``change`` to the case file and save it, or say why not (in ``language``)."""
    text = casedoc.read_text(site.folder)
    try:
        document = casedoc.parse(text)
        change(document)
        version = casedoc.save(site.folder, document, str(expected) if expected else None)
    except CaseFileError as error:
        return JSONResponse(
            {"error": factsform.field_error(error, language), "field": casedoc.error_key(error)},
            status_code=422,
        )
    except casedoc.CaseChangedError:
        return JSONResponse(
            {"error": f"{CASE_FILE_NAME} changed", "changed": True}, status_code=409
        )
    return JSONResponse({"ok": True, "version": version})


def _too_large(words: Any, name: str, limit: int) -> Response:
    message = words("upload.too_large", name=files.clean_name(name), limit=size_text(limit))
    return JSONResponse({"error": message}, status_code=413)


def _bad(message: str) -> Response:
    return JSONResponse({"error": message}, status_code=400)


def _not_found() -> Response:
    return JSONResponse({"error": "not found"}, status_code=404)


__all__ = ["create_app"]
