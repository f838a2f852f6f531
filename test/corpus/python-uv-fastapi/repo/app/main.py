from fastapi import APIRouter, FastAPI

app = FastAPI(title="inventory")
utils = APIRouter(prefix="/api/v1/utils")


@utils.get("/health-check/")
def health_check() -> bool:
    return True


@app.get("/items")
def items() -> list[str]:
    return []


app.include_router(utils)
