from django.shortcuts import render


def home(request):
    """The landing page after sign-in: who you are, where you work, where to go next."""
    return render(request, "home.html")
