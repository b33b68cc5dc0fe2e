from django.urls import path

from congress.letters import views

# mounted by congress/urls.py: the file under the congress namespace, the unit's list under /unit/letters/
file_patterns = [path("letters/<id:pk>/file/", views.letter_file, name="letter_file")]
unit_patterns = ([path("", views.unit_letters, name="list")], "unit_letters")
