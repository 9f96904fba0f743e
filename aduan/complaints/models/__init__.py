from .clocks import Clock
from .complainant import Complainant
from .complaint import Channel, Complaint, Ground, Kind, Resolution
from .conversation import Attachment, Message, Upload
from .events import Event
from .intake_keys import InboundKey
from .policy import DeadlinePolicy

__all__ = [
    "Attachment",
    "Channel",
    "Clock",
    "Complainant",
    "Complaint",
    "DeadlinePolicy",
    "Event",
    "Ground",
    "InboundKey",
    "Kind",
    "Message",
    "Resolution",
    "Upload",
]
