from django.http import JsonResponse


def stock(_request):
    return JsonResponse({"items": []})
