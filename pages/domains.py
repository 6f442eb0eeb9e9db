import streamlit as st
st.title('domains')
