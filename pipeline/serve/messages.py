"""The CLI's one-line reasons, in Japanese for the pages staff read.

The API returns the CLI's line (``error``) and this one (``message``); both
name the file as the client sent it, never where the server stored it.
"""

from __future__ import annotations

from pipeline import exceptions as ex

# class → (what is wrong, what to do)
JA: dict[type[ex.PlandiffError], tuple[str, str]] = {
    ex.NotAPdfError: ("PDF ファイルではありません", "公開された計画の PDF を選んでください"),
    ex.EncryptedPdfError: ("PDF が暗号化されています", "保護を解除したコピーを保存してから、もう一度選んでください"),
    ex.BrokenPdfError: ("PDF が壊れているか、途中で切れています", "ファイルをもう一度ダウンロードするか書き出してください"),
    ex.EmptyPdfError: ("PDF にページがありません", "書き出しが最後まで終わっているか確かめてください"),
    ex.NoTextLayerError: (
        "PDF に文字の情報がありません（スキャンした画像です）",
        "OCR（例: ocrmypdf -l jpn）をかけたコピーを選んでください",
    ),
    ex.GarbledTextError: ("PDF の文字が (cid:NNN) に化けています", "フォントを埋め込んで書き出し直すか、OCR をかけてください"),
    ex.TooLargeError: ("PDF のページ数が上限を超えています", "ファイルを分けてください"),
    ex.InputFormatError: ("plandiff.extract/1 の JSON ではありません", "PDF か plandiff extract が書いた JSON を選んでください"),
    ex.ArchiveError: ("アーカイブを読めません", "計画の PDF が入ったフォルダか zip を指定してください"),
    ex.UploadTooLargeError: (
        "アップロードがサーバーの上限を超えています",
        "ファイルを分けるか、--max-upload-mb を大きくしてサーバーを起動してください",
    ),
    ex.RequestError: ("リクエストが不完全です", "旧と新の計画、または対照表 PDF を 1 つ選んでください"),
}


INTERNAL = {"error": "internal error (see the server log)", "message": "内部エラーが発生しました（詳細はサーバーのログにあります）"}
INTERRUPTED = {
    "error": "interrupted: the server stopped before the job finished; submit it again",
    "message": "サーバーが止まったため中断されました。もう一度実行してください",
}


def japanese(error: ex.PlandiffError) -> str:
    """``file: 理由（detail）。対処`` — the same facts as ``str(error)``."""
    for cls in type(error).__mro__:
        if cls in JA:
            reason, advice = JA[cls]
            break
    else:
        return str(error)
    detail = f"（{error.detail}）" if error.detail else ""
    return f"{error.path}: {reason}{detail}。{advice}"


def named(error: ex.PlandiffError, name: str) -> ex.PlandiffError:
    """The same error naming ``name`` (the client's file name) instead of the stored file."""
    try:
        return type(error)(name, error.detail)
    except TypeError:  # a subclass with another signature: keep it as it is
        return error


def body(error: ex.PlandiffError) -> dict[str, str]:
    """The JSON body of an error response."""
    return {"error": str(error), "message": japanese(error)}
