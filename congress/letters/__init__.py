"""Official letters (公文): 交办函, 督办函, 提醒函 in the layout of GB/T 9704, numbered 代字〔年份〕N号 by one sequence per
kind and year, rendered once as a PDF and kept; a corrected letter is a new letter with a new number.

congress imports no app: an app builds a letter's content from its own records (proposals.services.letters) and calls
`congress.letters.services.letter_issue`, which numbers, renders and stores it. The PDF is read only through
`congress.letters.views.letter_file`, which lets in the committee-wide staff and the addressed unit's accounts."""
