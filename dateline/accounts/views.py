import json

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from dateline.accounts.forms import DeleteAccountForm, ProfileForm
from dateline.accounts.models import ReaderProfile, display_name, is_staff_member, public_key
from dateline.accounts.registry import account_deleting, export_all


def is_verified(user) -> bool:
    return EmailAddress.objects.filter(user=user, verified=True).exists()


@never_cache
@require_GET
def state(request):
    """Who is reading, for the page's script: pages are the same for everyone, so the
    signed-in state comes from here. Sets the CSRF cookie the script sends back."""
    get_token(request)
    user = request.user
    if not user.is_authenticated:
        return JsonResponse({"signed_in": False})
    return JsonResponse(
        {
            "signed_in": True,
            "name": display_name(user),
            "key": public_key(user),
            "verified": is_verified(user),
        },
        json_dumps_params={"ensure_ascii": False},
    )


@login_required
def profile(request):
    # A reader without a profile chooses a name here; none is made up from their account.
    instance = ReaderProfile.objects.filter(user=request.user).first() or ReaderProfile(
        user=request.user, display_name=request.user.get_full_name()[:40]
    )
    form = ProfileForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your display name is now “%s”.") % instance.display_name)
        return redirect("account_profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
def delete_account(request):
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        if is_staff_member(user):
            form.add_error(None, _("Newsroom accounts are deleted by an administrator."))
        else:
            with transaction.atomic():
                account_deleting.send(sender=type(user), user=user)
                logout(request)
                user.delete()
            messages.success(request, _("Your account is deleted."))
            return redirect("/")
    return render(request, "accounts/delete.html", {"form": form})


@never_cache
@login_required
def download_data(request):
    user = request.user
    data = {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "display_name": display_name(user),
            "joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "emails": [
                {"email": address.email, "verified": address.verified, "primary": address.primary}
                for address in EmailAddress.objects.filter(user=user)
            ],
        },
        **export_all(user),
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="my-dateline-data.json"'
    return response
