import {
  Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle, TextField,
} from "@mui/material";
import { useState } from "react";

/** A dangerous action: the user types `word` to enable the confirm button. */
export function ConfirmDialog({ open, title, text, word, confirmLabel, onConfirm, onClose }: {
  open: boolean; title: string; text: string; word: string; confirmLabel: string;
  onConfirm: () => void; onClose: () => void;
}) {
  const [typed, setTyped] = useState("");
  const close = () => {
    setTyped("");
    onClose();
  };
  return (
    <Dialog open={open} onClose={close} aria-labelledby="confirm-title">
      <DialogTitle id="confirm-title">{title}</DialogTitle>
      <DialogContent>
        <DialogContentText>{text}</DialogContentText>
        <TextField autoFocus fullWidth margin="dense" label={`Type ${word} to confirm`}
          value={typed} onChange={(e) => setTyped(e.target.value)}
          slotProps={{ htmlInput: { "data-testid": "confirm-input" } }} />
      </DialogContent>
      <DialogActions>
        <Button onClick={close}>Cancel</Button>
        <Button color="error" variant="contained" disabled={typed !== word}
          onClick={() => { setTyped(""); onConfirm(); }}>
          {confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
